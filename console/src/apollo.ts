import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { from, switchMap, throwError } from 'rxjs';
import type { SessionStore } from './session';

// Operations that must not carry (or wait for) the access token.
const ANONYMOUS = new Set(['SignIn', 'RefreshSession']);

function isUnauthenticated(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  return ServerError.is(error) && error.statusCode === 401;
}

/** Apollo Client for Keygate's public /graphql, signed in with the session's access token. */
export function createApolloClient(endpoint: string, sessions: SessionStore) {
  const auth = new SetContextLink(async (context, operation) => {
    if (ANONYMOUS.has(operation.operationName ?? '')) return {};
    if (sessions.needsRenewal()) await sessions.renew();
    const token = sessions.current?.accessToken;
    return token ? { headers: { ...context.headers, authorization: `Bearer ${token}` }, sentToken: token } : {};
  });

  // An access token can still be refused early (sign-out elsewhere, a restart with a new secret):
  // renew once and retry; if that fails the session store signs out and the sign-in screen shows.
  const renewOnce = new ErrorLink(({ error, operation, forward }) => {
    if (!isUnauthenticated(error) || ANONYMOUS.has(operation.operationName ?? '')) return;
    const context = operation.getContext();
    if (context.renewed || !sessions.current) return;
    operation.setContext({ renewed: true });
    // Another request renewed the session while this one was out: just send it again with the new token.
    if (context.sentToken && context.sentToken !== sessions.current.accessToken) return forward(operation);
    return from(sessions.renew()).pipe(
      switchMap((renewed) => {
        if (!renewed) return throwError(() => error);
        return forward(operation);
      }),
    );
  });

  return new ApolloClient({
    link: ApolloLink.from([renewOnce, auth, new HttpLink({ uri: endpoint })]),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}

/** A message for people: GraphQL errors' own messages, or what went wrong on the way. */
export function messageOf(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => e.message).join(' ');
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
