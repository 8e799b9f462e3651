/** The URL the seed's examples are written against. */
export const SEED_URL = 'http://localhost:8080';

/**
 * Sends requests for the seed's URL to `target` (a test's Keygate on a free port), so the examples
 * run unchanged while something else, such as a developer's `npm start`, serves port 8080.
 * Install it before the examples call createClient: the SDK takes `fetch` then.
 */
export function redirectSeedUrl(target: string): { redirected(): number; restore(): void } {
  const real = globalThis.fetch;
  let redirected = 0;
  globalThis.fetch = (input, init) => {
    if ((typeof input === 'string' || input instanceof URL) && String(input).startsWith(`${SEED_URL}/`)) {
      redirected++;
      return real(target + String(input).slice(SEED_URL.length), init);
    }
    return real(input, init);
  };
  return {
    redirected: () => redirected,
    restore: () => {
      globalThis.fetch = real;
    },
  };
}
