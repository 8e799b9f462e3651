import { useEffect, useState } from 'react';

/** Screens live in the URL's fragment (#/keys/ID), so Keygate serves one page and the back button works. */
export type Route = { screen: 'keys' } | { screen: 'key'; id: string } | { screen: 'users' } | { screen: 'user'; id: string } | { screen: 'audit' };

export function parseRoute(hash: string): Route {
  const one = /^#\/(keys|users)\/([^/?#]+)$/.exec(hash);
  if (one) return { screen: one[1] === 'keys' ? 'key' : 'user', id: decodeURIComponent(one[2]) };
  if (hash === '#/users') return { screen: 'users' };
  if (hash === '#/audit') return { screen: 'audit' };
  return { screen: 'keys' };
}

export const keyHref = (id: string) => `#/keys/${encodeURIComponent(id)}`;
export const userHref = (id: string) => `#/users/${encodeURIComponent(id)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
