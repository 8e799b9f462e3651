import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../support/browser';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const describeIfChromium = describeWithChromium('CORS browser test');

/**
 * What a frontend on another origin runs: Apollo Client with a client key header, and a fetch
 * that records the rate-limit headers the browser lets the page read. Bundled from node_modules
 * at test time, so the page needs no network.
 */
const PAGE_SCRIPT = `
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createClient } from '@keygate/sdk';

window.callKeygate = async (uri, key) => {
  const seen = [];
  const recordingFetch = async (input, init) => {
    const response = await fetch(input, init);
    seen.push({ rateLimit: response.headers.get('RateLimit'), policy: response.headers.get('RateLimit-Policy') });
    return response;
  };
  const client = new ApolloClient({
    link: new HttpLink({ uri, headers: { 'x-client-key': key }, fetch: recordingFetch }),
    cache: new InMemoryCache(),
  });
  try {
    const { data } = await client.query({ query: gql\`query WhoAmI { viewer { kind keyPrefix } }\`, fetchPolicy: 'network-only' });
    // The SDK in the same page: it uses the browser's fetch.
    const listed = await createClient({ url: uri, clientKey: key }).management.clientKeys.list();
    return { data, seen, listed: listed.client_keys.map((k) => k.name) };
  } catch (error) {
    return { error: String(error && error.message), seen };
  }
};
`;

const ROOT = path.join(__dirname, '../..');

/**
 * Bundles PAGE_SCRIPT with Vite (the console's bundler: Rolldown underneath) into one classic script. Vite is an
 * ES module only, which this CommonJS test cannot load, so the build runs in a child Node process that prints
 * the bundle. The page script is a virtual module resolved from the repository root; `@keygate/sdk` is the SDK's
 * sources, as the other tests use them (Vite maps their './x.js' imports to the .ts files).
 */
const BUNDLER = `
import { build } from 'vite';
const { contents, root, sdk } = JSON.parse(process.env.PAGE_BUNDLE);
const id = '\\0keygate-page.js';
const result = await build({
  configFile: false,
  root,
  publicDir: false,
  logLevel: 'silent',
  define: { 'process.env.NODE_ENV': '"production"' },
  resolve: { alias: { '@keygate/sdk': sdk } },
  plugins: [{ name: 'keygate-page', resolveId: (source) => (source === 'keygate-page' ? id : null), load: (source) => (source === id ? contents : null) }],
  build: {
    write: false,
    target: 'chrome110',
    minify: false,
    modulePreload: false,
    rolldownOptions: { input: 'keygate-page', output: { format: 'iife' } },
  },
});
process.stdout.write((Array.isArray(result) ? result[0] : result).output[0].code);
`;

async function bundlePage(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', BUNDLER], {
    cwd: ROOT,
    env: { ...process.env, PAGE_BUNDLE: JSON.stringify({ contents: PAGE_SCRIPT, root: ROOT, sdk: path.join(ROOT, 'sdk/src/index.ts') }) },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** A tiny web server for the frontend's origin: one page and its script. */
async function servePage(script: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>frontend</title><script src="/app.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

jest.setTimeout(120_000);

describeIfChromium('a frontend on another origin, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let allowedSite: Awaited<ReturnType<typeof servePage>>;
  let otherSite: Awaited<ReturnType<typeof servePage>>;

  beforeAll(async () => {
    const script = await bundlePage();
    allowedSite = await servePage(script);
    otherSite = await servePage(script);
    t = await startTestApp({ env: { CORS_ORIGINS: allowedSite.origin } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await allowedSite?.close();
    await otherSite?.close();
  });

  async function runFrom(origin: string, key: string) {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      // Keygate listens on 127.0.0.1 too, on another port: another origin.
      return await page.evaluate(([uri, k]) => (window as any).callKeygate(uri, k), [`${t.url.replace('localhost', '127.0.0.1')}/graphql`, key]);
    } finally {
      await page.close();
    }
  }

  it('runs Apollo Client (and the SDK) with a key header from an allowed origin, and reads the RateLimit headers', async () => {
    const { token } = await t.login();
    const { key } = await issueKey(t, { token }, { name: 'frontend', scopes: ['read:clientkeys'], rateLimitPerMinute: 50 });
    const result = await runFrom(allowedSite.origin, key);
    expect(result.error).toBeUndefined();
    expect(result.data.viewer).toMatchObject({ kind: 'CLIENT_KEY', keyPrefix: key.slice(0, 11) });
    expect(result.seen[0].policy).toBe('"default";q=50;w=60');
    expect(result.seen[0].rateLimit).toMatch(/^"default";r=49;t=\d+$/);
    expect(result.listed).toEqual(['frontend']);
  });

  it('is refused from an origin that is not in CORS_ORIGINS', async () => {
    const { token } = await t.login();
    const { key } = await issueKey(t, { token }, { name: 'elsewhere', scopes: ['read:clientkeys'] });
    const result = await runFrom(otherSite.origin, key);
    expect(result.data).toBeUndefined();
    expect(result.error).toMatch(/Failed to fetch/);
    expect(result.seen).toEqual([]);
  });
});
