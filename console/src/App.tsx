import { useApolloClient, useMutation } from '@apollo/client/react';
import { type MouseEvent, useEffect, useState, useSyncExternalStore } from 'react';
import { SignOutDocument } from './generated/graphql';
import { AuditScreen } from './components/AuditScreen';
import { KeyScreen } from './components/KeyScreen';
import { KeysScreen } from './components/KeysScreen';
import { SignIn } from './components/SignIn';
import { TopBar } from './components/TopBar';
import { UserScreen } from './components/UserScreen';
import { UsersScreen } from './components/UsersScreen';
import { type Route, useRoute } from './route';
import type { SessionStore } from './session';

// Screens live in the fragment, so the skip link moves the focus itself instead of changing the fragment.
function skipToContent(event: MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function Screen({ route, viewerId, admin }: { route: Route; viewerId: string; admin: boolean }) {
  switch (route.screen) {
    case 'key':
      return <KeyScreen key={route.id} id={route.id} viewerId={viewerId} />;
    case 'users':
      return <UsersScreen viewerId={viewerId} />;
    case 'user':
      return <UserScreen key={route.id} id={route.id} viewerId={viewerId} />;
    case 'audit':
      return <AuditScreen viewerId={viewerId} admin={admin} />;
    default:
      return <KeysScreen userId={viewerId} admin={admin} />;
  }
}

export function App({ sessions }: { sessions: SessionStore }) {
  const subscribe = (onChange: () => void) => sessions.subscribe(onChange);
  const session = useSyncExternalStore(subscribe, () => sessions.current);
  const waiting = useSyncExternalStore(subscribe, () => sessions.waiting);
  const route = useRoute();
  const client = useApolloClient();
  const [signOut] = useMutation(SignOutDocument);
  const [notice, setNotice] = useState<string | null>(null);
  const userId = session?.user.id ?? null;

  // Whatever the last user saw must not stay in memory for the next one (another tab may sign in as someone
  // else): the store is emptied before a different user's screens mount, never under their queries.
  const [readyFor, setReadyFor] = useState<string | null>(userId);
  useEffect(() => {
    if (userId === readyFor) return;
    let current = true;
    void client.clearStore().then(() => {
      if (current) setReadyFor(userId);
    });
    return () => {
      current = false;
    };
  }, [userId, readyFor, client]);
  useEffect(() => {
    if (userId) setNotice(null);
  }, [userId]);

  if (!session && waiting) return <p role="status">Looking for a sign-in in your other tabs…</p>;
  if (!session) return <SignIn sessions={sessions} notice={notice ?? sessions.endedBecause} />;
  if (readyFor !== session.user.id) return <p role="status">Loading…</p>;

  const onSignOut = async () => {
    const refreshToken = session.refreshToken;
    try {
      await signOut({ variables: { refreshToken } });
    } catch {
      // Signing out locally is what matters; the refresh token expires on its own.
    }
    setNotice('You are signed out.');
    sessions.set(null, 'You signed out in another tab.');
    location.hash = '';
  };

  const admin = session.user.role === 'ADMIN';
  return (
    <>
      <a className="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <TopBar email={session.user.email} admin={admin} route={route} onSignOut={onSignOut} />
      <main id="main" tabIndex={-1} key={session.user.id}>
        <Screen route={route} viewerId={session.user.id} admin={admin} />
      </main>
    </>
  );
}
