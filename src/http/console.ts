import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The web console (console/, built by `npm run build:console`), served by Keygate itself: no CDN. */
export const CONSOLE_PATH = '/console';
const ASSET_PREFIX = `${CONSOLE_PATH}/`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The console talks only to this origin's /graphql; nothing inline, nothing from elsewhere.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

interface Asset {
  body: Buffer;
  gzipped: Buffer | null;
  type: string;
  etag: string;
  /** Vite names files under assets/ by their content hash, so they never change under one name. */
  immutable: boolean;
}

/** Finds dist/console beside the package.json above this file (src/http in tests, dist/src/http when built). */
export function defaultConsoleDir(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.join(dir, 'dist', 'console');
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(root, full) : [path.relative(root, full).split(path.sep).join('/')];
  });
}

export class ConsoleAssets {
  private assets: Map<string, Asset> | null = null;

  constructor(private readonly dir = defaultConsoleDir()) {}

  static matches(pathname: string): boolean {
    return pathname === CONSOLE_PATH || pathname.startsWith(ASSET_PREFIX);
  }

  serve(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.plain(res, 405, 'Method not allowed', { allow: 'GET, HEAD' });
    const assets = this.load();
    if (!assets) return this.plain(res, 503, 'The console is not built: run `npm run build:console` (npm install and npm start do it).');
    // Files are looked up by name in what the build produced: a request path never becomes a file path,
    // so no `..`, encoded or not, can leave the folder.
    const name = pathname === CONSOLE_PATH || pathname === ASSET_PREFIX ? 'index.html' : pathname.slice(ASSET_PREFIX.length);
    const asset = assets.get(name);
    if (!asset) return this.plain(res, 404, 'No such console file');
    this.send(req, res, asset);
  }

  /** Reads the built folder once; until it exists, every request looks again (a build may still be running). */
  private load(): Map<string, Asset> | null {
    if (this.assets) return this.assets;
    if (!existsSync(path.join(this.dir, 'index.html'))) return null;
    const assets = new Map<string, Asset>();
    for (const name of listFiles(this.dir)) {
      const type = CONTENT_TYPES[path.extname(name).toLowerCase()];
      if (!type) continue;
      const body = readFileSync(path.join(this.dir, name));
      const compressible = type.startsWith('text/') || type.startsWith('application/json') || type === 'image/svg+xml';
      assets.set(name, {
        body,
        gzipped: compressible && body.length > 1024 ? gzipSync(body) : null,
        type,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        immutable: name.startsWith('assets/'),
      });
    }
    this.assets = assets;
    return assets;
  }

  private send(req: IncomingMessage, res: ServerResponse, asset: Asset): void {
    const headers: Record<string, string | number> = {
      'content-type': asset.type,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: asset.etag,
      vary: 'accept-encoding',
      ...SECURITY_HEADERS,
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = asset.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzipped! : asset.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private plain(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message), ...SECURITY_HEADERS, ...headers });
    res.end(message);
  }
}
