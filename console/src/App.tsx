import { useApolloClient, useMutation } from '@apollo/client/react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { SignOutDocument } from './generated/graphql';
import { KeyScreen } from './components/KeyScreen';
import { KeysScreen } from './components/KeysScreen';
import { SignIn } from './components/SignIn';
import { useRoute } from './route';
import type { SessionStore } from './session';

export function App({ sessions }: { sessions: SessionStore }) {
  const session = useSyncExternalStore(
    (onChange) => sessions.subscribe(onChange),
    () => sessions.current,
  );
  const route = useRoute();
  const client = useApolloClient();
  const [signOut] = useMutation(SignOutDocument);
  const [notice, setNotice] = useState<string | null>(null);

  // Whatever the last user saw must not stay in memory for the next one.
  useEffect(() => {
    if (!session) void client.clearStore();
    else setNotice(null);
  }, [session, client]);

  if (!session) return <SignIn sessions={sessions} notice={notice ?? sessions.endedBecause} />;

  const onSignOut = async () => {
    const refreshToken = session.refreshToken;
    try {
      await signOut({ variables: { refreshToken } });
    } catch {
      // Signing out locally is what matters; the refresh token expires on its own.
    }
    setNotice('You are signed out.');
    sessions.set(null);
    location.hash = '';
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/">
          Keygate console
        </a>
        <span className="who" aria-label="Signed in as">
          {session.user.email}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        {route.screen === 'key' ? <KeyScreen key={route.id} id={route.id} viewerId={session.user.id} /> : <KeysScreen userId={session.user.id} />}
      </main>
    </>
  );
}
