// Loaded with `node --require` before the compiled seed examples: the same redirection as
// seed-url.ts (the seed's http://localhost:8080 goes to KEYGATE_TEST_URL), for a child process.
const SEED_URL = 'http://localhost:8080';
const target = process.env.KEYGATE_TEST_URL;
const real = globalThis.fetch;
globalThis.fetch = (input, init) =>
  (typeof input === 'string' || input instanceof URL) && String(input).startsWith(`${SEED_URL}/`)
    ? real(target + String(input).slice(SEED_URL.length), init)
    : real(input, init);
