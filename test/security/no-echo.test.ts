import { Writable } from 'node:stream';
import fc from 'fast-check';
import { createLogger } from '../../src/logging/logger';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

/** Every run of at least `n` characters of `secret` that `text` contains (a partial leak counts too). */
function leaks(text: string, secret: string, n = 10): string[] {
  const found: string[] = [];
  for (let i = 0; i + n <= secret.length; i++) if (text.includes(secret.slice(i, i + n))) found.push(secret.slice(i, i + n));
  return found;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

/** Documents with `S` where a careless client pasted a secret: literals, names and broken syntax. */
const TEMPLATES = [
  '{ clientKeys(first: S) { totalCount } }',
  '{ clientKeys(status: S) { totalCount } }',
  '{ clientKeys(first: "S") { totalCount } }',
  '{ clientKeys(first: 1, status: [S]) { totalCount } }',
  'mutation { createClientKey(input: { name: "n", scopes: ["read:audit"], rateLimitPerMinute: S }) { key } }',
  'mutation { createClientKey(input: { name: "n", scopes: ["read:audit"], expiresAt: "S" }) { key } }',
  'mutation { createClientKey(input: { name: "n", scopes: ["read:audit"], S: 1 }) { key } }',
  'mutation { createUser(input: { email: "a@b.co", password: "password-1", role: S }) { id } }',
  'mutation { rotateClientKey(id: "00000000-0000-0000-0000-000000000000", gracePeriodSeconds: S) { key } }',
  '{ S }',
  '{ viewer { S } }',
  '{ viewer(S: 1) { kind } }',
  '{ viewer { kind } } fragment F on S { id }',
  '{ viewer { kind @S } }',
  'query($v: S) { viewer { kind } }',
  '{ viewer { kind } S',
  '{ clientKeys(first: 1 S) { totalCount } }',
  '{ viewer { kind } } "S',
  '{ viewer { kind } } S"',
  '{ viewer { kind } } """S',
  'query { clientKeys(first: 1, after: S) { totalCount } }',
  'S',
  '{ clientKeys(first: 1.5S) { totalCount } }',
  '{ clientKeys(first: 12S) { totalCount } }',
];

describe('no error message repeats what the client wrote', () => {
  let t: TestApp;
  let admin: { token: string };
  let key: string;

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    admin = await t.login();
    key = (await issueKey(t, admin, { scopes: ['read:audit'] })).key;
  });
  afterAll(() => t.close());

  it('never echoes a secret pasted into a literal, a name or broken document text', async () => {
    const secrets = fc.oneof(fc.constant(key), fc.stringMatching(/^kg_[A-Za-z0-9]{20,46}$/), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{15,40}$/));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TEMPLATES), secrets, fc.boolean(), async (template, secret, signedIn) => {
        const query = template.replace('S', secret);
        const res = await post(t.url, { query }, signedIn ? { authorization: `Bearer ${admin.token}` } : {});
        expect(res.status).toBeLessThan(500);
        expect(res.text).toContain('"errors"');
        expect(leaks(res.text, secret)).toEqual([]);
        expect(leaks(t.logs(), secret)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('does not echo an operation name the document lacks', async () => {
    const res = await post(t.url, { query: '{ viewer { kind } }', operationName: key });
    expect(res.status).toBeLessThan(500);
    expect(leaks(res.text, key)).toEqual([]);
  });

  it('still says what was wrong, and where', async () => {
    const res = await post(t.url, { query: `{ clientKeys(first: ${key}) { totalCount } }` }, { authorization: `Bearer ${admin.token}` });
    const error = JSON.parse(res.text).errors[0];
    expect(error.message).toBe('Expected a value of type "Int"');
    expect(error.locations).toEqual([{ line: 1, column: 21 }]);
    const syntax = JSON.parse((await post(t.url, { query: `{ viewer { kind } } ${key}` })).text).errors[0];
    expect(syntax.message).toBe('Syntax Error: Unexpected Name.');
    expect(syntax.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('syntax errors quote none of the characters they stopped at', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
  });
  afterAll(() => t.close());

  // graphql-js quotes up to 12 characters of a bad escape, or the one character it stopped at.
  const cases: Array<[string, string]> = [
    ['{ viewer(a: "\\uSECR") { kind } }', 'Syntax Error: Invalid Unicode escape sequence.'],
    ['{ viewer(a: "\\u{SECRETXY}") { kind } }', 'Syntax Error: Invalid Unicode escape sequence.'],
    ['{ viewer(a: "\\u{D800}") { kind } }', 'Syntax Error: Invalid Unicode escape sequence.'],
    ['{ viewer(a: "\\uD800Q") { kind } }', 'Syntax Error: Invalid Unicode escape sequence.'],
    ['{ viewer(a: "\\Q") { kind } }', 'Syntax Error: Invalid character escape sequence.'],
    ['{ viewer { kind ~Q } }', 'Syntax Error: Unexpected character.'],
    ['{ viewer { kind } } \u00c9', 'Syntax Error: Unexpected character.'],
    ['{ viewer { kind } } \ud800', 'Syntax Error: Invalid character.'],
    ['{ viewer(a: "x\ud800") { kind } }', 'Syntax Error: Invalid character within String.'],
    ['{ viewer(a: 01) { kind } }', 'Syntax Error: Invalid number, unexpected digit after 0.'],
    ['{ viewer(a: 1.Q) { kind } }', 'Syntax Error: Invalid number, expected a digit.'],
    ['query($a: Int = $QSE) { viewer { kind } }', 'Syntax Error: Unexpected variable in constant value.'],
    ['{ viewer(a: "QSECRET) { kind } }', 'Syntax Error: Unterminated string.'],
  ];

  it.each(cases)('%s', async (query, message) => {
    const res = await post(t.url, { query });
    expect(res.status).toBeLessThan(500);
    const error = JSON.parse(res.text).errors[0];
    expect(error).toMatchObject({ message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(error.locations).toHaveLength(1);
    for (const echo of ['SECR', 'Q', 'D800', '\u00c9', 'É', '01']) expect(error.message).not.toContain(echo);
  });
});

describe('database errors reach the log through an allowlist of fields', () => {
  let t: TestApp;
  let admin: { token: string };
  let key: string;

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    admin = await t.login();
    key = (await issueKey(t, admin, { scopes: ['read:audit'] })).key;
  });
  afterAll(() => t.close());

  it('logs a real PostgreSQL error by code and location in the schema, never where, detail, parameters or quoted values', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const logger = createLogger('debug', sink);
    const failures: unknown[] = [];
    // JSON PostgreSQL refuses (its `where` quotes the JSON text), a uuid it cannot read (the message quotes it),
    // and a unique violation (its `detail` quotes the row).
    for (const [sql, params] of [
      ['SELECT $1::jsonb AS v', [`{"description":"${key}\\ud800"}`]],
      ['SELECT $1::uuid AS v', [key]],
      ['INSERT INTO users (id, email, password_hash, role) SELECT gen_random_uuid(), email, $1, role FROM users LIMIT 1', [key]],
    ] as const) {
      await t.app.dataSource.query(sql, [...params]).then(
        () => failures.push(new Error(`expected ${sql} to fail`)),
        (err: unknown) => failures.push(err),
      );
    }
    for (const err of failures) logger.error({ err }, 'unexpected error while handling a GraphQL request');
    const lines = logged
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.err.code)).toEqual(['22P02', '22P02', '23505']);
    expect(lines[2].err).toMatchObject({ table: 'users', constraint: expect.any(String) });
    for (const line of lines) {
      expect(Object.keys(line.err).sort()).toEqual(expect.arrayContaining(['code', 'message', 'type']));
      for (const field of ['where', 'detail', 'parameters', 'query', 'driverError', 'hint', 'internalQuery']) expect(line.err).not.toHaveProperty(field);
    }
    expect(leaks(logged, key)).toEqual([]);
  });

  it('keeps a secret sent with a lone surrogate out of the log and the response', async () => {
    const { id } = await issueKey(t, admin, { scopes: ['read:audit'] });
    const attempts = [
      await t.gql(
        'mutation($id: ID!, $i: UpdateClientKeyInput!) { updateClientKey(id: $id, input: $i) { id } }',
        { id, i: { description: `${key}\ud800` } },
        admin,
      ),
      await t.gql('mutation($id: ID!, $r: String) { revokeClientKey(id: $id, reason: $r) { id } }', { id, r: `${key}\ud800` }, admin),
    ];
    for (const res of attempts) {
      expect(res.code).toBe('BAD_USER_INPUT');
      expect(leaks(JSON.stringify(res.errors), key)).toEqual([]);
    }
    expect(leaks(t.logs(), key)).toEqual([]);
  });
});
