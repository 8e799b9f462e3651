import { useEffect, useState } from 'react';

/** Screens live in the URL's fragment (#/keys/ID), so Keygate serves one page and the back button works. */
export type Route = { screen: 'keys' } | { screen: 'key'; id: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/keys\/([^/?#]+)$/.exec(hash);
  return match ? { screen: 'key', id: decodeURIComponent(match[1]) } : { screen: 'keys' };
}

export const keyHref = (id: string) => `#/keys/${encodeURIComponent(id)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
