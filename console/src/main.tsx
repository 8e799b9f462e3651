import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApolloClient } from './apollo';
import { App } from './App';
import { SessionStore } from './session';
import './styles.css';

// Same origin as the console: Keygate serves both, so no CORS and no configuration.
const ENDPOINT = '/graphql';
const sessions = new SessionStore(ENDPOINT);
const client = createApolloClient(ENDPOINT, sessions);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <App sessions={sessions} />
    </ApolloProvider>
  </StrictMode>,
);
