import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ConsoleAssets } from '../../src/http/console';
import { startTestApp, type TestApp } from '../support/test-app';
import { CONSOLE_DIR, ensureConsoleBuilt } from './console-build';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose path goes out exactly as written (fetch would resolve `..` before sending). */
function raw(base: string, rawPath: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Raw> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /console', () => {
  let t: TestApp;
  let assetPaths: { js: string; css: string };

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestApp();
    const html = fs.readFileSync(path.join(CONSOLE_DIR, 'index.html'), 'utf8');
    assetPaths = { js: /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1], css: /href="(\/console\/assets\/[^"]+\.css)"/.exec(html)![1] };
  });

  afterAll(() => t?.close());

  it('serves the page with a strict content security policy and no caching of the page itself', async () => {
    for (const pathname of ['/console', '/console/', '/console/index.html']) {
      const res = await raw(t.url, pathname);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.body.toString()).toContain('<div id="root">');
    }
  });

  it('serves the bundle with its content types, cached for good since the names carry a content hash', async () => {
    const js = await raw(t.url, assetPaths.js);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(js.headers['content-length'])).toBe(js.body.length);
    const css = await raw(t.url, assetPaths.css);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    // Nothing the page loads comes from another host.
    expect(js.body.toString()).not.toMatch(/(src|href)=["']https?:\/\//);
  });

  it('compresses for clients that accept gzip, answers HEAD, and revalidates with an ETag', async () => {
    const plain = await raw(t.url, assetPaths.js);
    const gzipped = await raw(t.url, assetPaths.js, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);

    const head = await raw(t.url, '/console', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);

    const page = await raw(t.url, '/console');
    const again = await raw(t.url, '/console', { headers: { 'if-none-match': String(page.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('never leaves the built folder, however the path is written', async () => {
    const secret = fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8');
    for (const attempt of [
      '/console/../package.json',
      '/console/../../package.json',
      '/console/assets/../../../package.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/..%2f..%2fpackage.json',
      '/console/assets/..%5c..%5cpackage.json',
      '//console/../../etc/passwd',
      '/console//etc/passwd',
      '/console/assets/%00',
      '/console/assets/',
      '/console/nope.js',
    ]) {
      const res = await raw(t.url, attempt);
      expect({ attempt, status: res.status }).toEqual({ attempt, status: 404 });
      expect(res.body.toString()).not.toContain(secret.slice(0, 40));
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await raw(t.url, '/console', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('ConsoleAssets before the console is built', () => {
  it('answers 503 with how to build it, and serves the files once they appear', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-console-'));
    const assets = new ConsoleAssets(dir);
    const server = http.createServer((req, res) => assets.serve(req, res, new URL(req.url ?? '/', 'http://x').pathname));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const before = await raw(base, '/console');
      expect(before.status).toBe(503);
      expect(before.body.toString()).toContain('npm run build:console');

      fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>built</title>');
      const after = await raw(base, '/console');
      expect(after.status).toBe(200);
      expect(after.body.toString()).toContain('built');
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
