import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * GraphiQL served entirely by Keygate (React and GraphiQL's UMD bundles from node_modules),
 * so the playground works with no internet access.
 */
const ASSET_SOURCES: Record<string, { module: string; file: string; type: string }> = {
  'react.js': { module: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { module: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { module: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { module: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

export const PLAYGROUND_ASSET_PREFIX = '/graphql/playground/';

/** The first query the page shows: signing in as the instance's admin (the generated one, or ADMIN_EMAIL). */
const defaultQuery = (adminEmail: string) => `# Welcome to Keygate.
#
# 1. Log in: put your password in the \`login\` mutation below and run it (the admin's is the one
#    printed at the first start, or ADMIN_PASSWORD).
# 2. Copy accessToken into the Headers tab: {"Authorization": "Bearer <accessToken>"}
#    (a client key goes in {"X-Client-Key": "<key>"}).
# 3. Run \`me\` (or \`viewer\`) to see who you are.

mutation Login {
  login(email: ${JSON.stringify(adminEmail)}, password: "your password") {
    accessToken
    expiresIn
    user { id email role }
  }
}

query Me {
  me { id email role }
}
`;

function page(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Keygate playground</title>
  <link rel="stylesheet" href="${PLAYGROUND_ASSET_PREFIX}graphiql.css">
  <style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
  <div id="graphiql" data-endpoint="${endpoint}">Loading the playground…</div>
  <script src="${PLAYGROUND_ASSET_PREFIX}react.js"></script>
  <script src="${PLAYGROUND_ASSET_PREFIX}react-dom.js"></script>
  <script src="${PLAYGROUND_ASSET_PREFIX}graphiql.js"></script>
  <script src="${PLAYGROUND_ASSET_PREFIX}init.js"></script>
</body>
</html>`;
}

const initScript = (adminEmail: string) => `(function () {
  var root = document.getElementById('graphiql');
  var fetcher = GraphiQL.createFetcher({ url: root.getAttribute('data-endpoint') });
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: ${JSON.stringify(defaultQuery(adminEmail))},
    // Authorization and X-Client-Key stay in this tab's memory: never written to storage, and
    // whatever GraphiQL does keep (queries, tabs) lives in sessionStorage, gone with the browser.
    shouldPersistHeaders: false,
    storage: window.sessionStorage,
    defaultEditorToolsVisibility: 'headers'
  }));
})();`;

interface Asset {
  body: Buffer;
  type: string;
}

// Never framed (frame-ancestors, and X-Frame-Options for older browsers), as /console: a page that
// runs mutations with the user's token must not be overlaid by another site (clickjacking).
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export class Playground {
  private readonly assets = new Map<string, Asset>();
  private readonly html: Buffer;

  constructor(
    endpoint = '/graphql',
    /** PLAYGROUND=false: no page and no assets, as if there were no playground. */
    private readonly enabled = true,
    adminEmail = 'admin@keygate.local',
  ) {
    for (const [name, source] of Object.entries(ASSET_SOURCES)) {
      const pkgDir = path.dirname(require.resolve(`${source.module}/package.json`));
      this.assets.set(name, { body: readFileSync(path.join(pkgDir, source.file)), type: source.type });
    }
    this.assets.set('init.js', { body: Buffer.from(initScript(adminEmail)), type: 'text/javascript' });
    this.html = Buffer.from(page(endpoint));
  }

  /** A browser asking for /graphql with no operation gets the playground instead of a GraphQL error. */
  wantsPage(req: IncomingMessage, search: string): boolean {
    return this.enabled && req.method === 'GET' && !new URLSearchParams(search).has('query') && (req.headers.accept ?? '').includes('text/html');
  }

  servePage(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': this.html.length, ...SECURITY_HEADERS });
    res.end(this.html);
  }

  /** Returns false when the path names no asset. */
  serveAsset(pathname: string, res: ServerResponse): boolean {
    const asset = this.enabled ? this.assets.get(pathname.slice(PLAYGROUND_ASSET_PREFIX.length)) : undefined;
    if (!asset) return false;
    res.writeHead(200, {
      'content-type': `${asset.type}; charset=utf-8`,
      'content-length': asset.body.length,
      'cache-control': 'public, max-age=86400',
      ...SECURITY_HEADERS,
    });
    res.end(asset.body);
    return true;
  }
}
