import fs from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { FieldCostOverride } from '../cost/cost-annotations';
import { NEVER_EXPOSED } from './upstream-errors';

/** A KEYGATE_CONFIG problem: one line that names the file and the path inside it. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
}

const SCOPE_NAME = /^[a-z][a-z0-9_-]*(:[a-z0-9_.-]+)*$/i;
const COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;

/** `public`, `authenticated`, or OR-of-ANDs scopes, exactly as @requiresScopes takes them. */
const policySchema = z.union(
  [
    z.literal('public'),
    z.literal('authenticated'),
    z
      .array(z.array(z.string().regex(SCOPE_NAME, 'must be a scope name such as read:products')).min(1, 'must name at least one scope'))
      .min(1, 'must list at least one alternative'),
  ],
  { message: 'must be "public", "authenticated" or a list of scope lists such as [["read:products"]]' },
);

export type FieldPolicy = z.infer<typeof policySchema>;

const FIELD_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const fieldNames = z.array(z.string().regex(FIELD_NAME, 'must be a field or argument name'));
const listSizeSchema = z.number().int('must be a whole number').min(0, 'must be 0 or more').max(1_000_000, 'must be at most 1000000');

/** What `costs:` may say of a field: the @cost/@listSize arguments, replacing the upstream SDL's. */
const fieldCostSchema = z.strictObject({
  weight: z.number().int('must be a whole number').min(-1_000_000).max(1_000_000).optional(),
  assumedSize: listSizeSchema.optional(),
  slicingArguments: fieldNames.optional(),
  sizedFields: fieldNames.optional(),
});

const upstreamSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must match [a-z][a-z0-9-]* (lowercase letters, digits, dashes)'),
  url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }),
  schemaFile: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(1).max(600_000).default(10_000),
  headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name'), z.string()).default({}),
  policies: z.record(z.string().regex(COORDINATE, 'must be a field coordinate such as Query.products'), policySchema).default({}),
  costs: z
    .record(z.string(), fieldCostSchema)
    .superRefine((costs, ctx) => {
      // Checked here rather than by the key's schema, whose message zod replaces with "Invalid key in record".
      for (const key of Object.keys(costs))
        if (!COORDINATE.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'must be a field coordinate such as Query.products' });
    })
    .default({}),
  defaultListSize: listSizeSchema.optional(),
  // Extension names of the upstream's errors that reach clients beside `code` and `upstream`.
  exposeExtensions: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be extension names such as retryAfter')
        .refine((name) => !(NEVER_EXPOSED as readonly string[]).includes(name), { message: `cannot expose ${NEVER_EXPOSED.join(', ')}` }),
    )
    .max(32)
    .default([]),
});

const fileSchema = z.strictObject({
  scopes: z.record(z.string().regex(SCOPE_NAME, 'must be a scope name such as read:products'), z.string()).default({}),
  roles: z
    .partialRecord(z.enum(['admin', 'member'], { message: 'must be admin or member' }), z.array(z.string().regex(SCOPE_NAME, 'must be a scope name')))
    .default({}),
  upstreams: z.array(upstreamSchema).default([]),
  defaultListSize: listSizeSchema.optional(),
});

export interface UpstreamConfig {
  name: string;
  url: string;
  /** Absolute: resolved against the config file's folder. */
  schemaFile?: string;
  timeoutMs: number;
  /** Values already ${ENV}-expanded: never log them. */
  headers: Record<string, string>;
  policies: Record<string, FieldPolicy>;
  /** "Type.field" to @cost/@listSize arguments that replace the SDL's. */
  costs: Record<string, FieldCostOverride>;
  /** Size of this upstream's lists that neither its SDL nor `costs` sizes (else the top-level one). */
  defaultListSize?: number;
  /** Names of the upstream's error extensions passed to clients (upstream-errors.ts). */
  exposeExtensions: string[];
}

export interface GatewayConfig {
  file: string;
  scopes: Record<string, string>;
  roles: Partial<Record<'admin' | 'member', string[]>>;
  upstreams: UpstreamConfig[];
  /** Size of any list nothing else sizes (default 10). */
  defaultListSize?: number;
}

/** `upstreams[0].url`, the way an operator would look for it in the file. */
function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments)
    out += typeof s === 'number' ? `[${s}]` : out === '' ? String(s) : /^[\w-]+$/.test(String(s)) ? `.${String(s)}` : `["${String(s)}"]`;
  return out || '(top level)';
}

/** Expands ${NAME} from the environment; a missing variable is an error naming the place, never the value. */
function expandEnv(value: string, where: string, file: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const found = env[name];
    if (found === undefined) throw new GatewayConfigError(`KEYGATE_CONFIG ${file}: ${where} uses \${${name}}, which is not set in the environment`);
    return found;
  });
}

export function parseGatewayConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  // YAML is a superset of JSON: one parser reads both.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const first = doc.errors[0];
    const line = first.linePos?.[0];
    throw new GatewayConfigError(`KEYGATE_CONFIG ${file}: not valid YAML or JSON${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${first.code}`);
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatewayConfigError(`KEYGATE_CONFIG ${file}: ${formatPath(issue.path)} ${issue.message}`);
  }
  const data = parsed.data;
  const seen = new Set<string>();
  const dir = path.dirname(file);
  const upstreams = data.upstreams.map((u, i): UpstreamConfig => {
    if (seen.has(u.name)) throw new GatewayConfigError(`KEYGATE_CONFIG ${file}: upstreams[${i}].name "${u.name}" is used by another upstream`);
    seen.add(u.name);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(u.headers)) headers[name.toLowerCase()] = expandEnv(value, `upstreams[${i}].headers.${name}`, file, env);
    return {
      name: u.name,
      url: u.url,
      schemaFile: u.schemaFile === undefined ? undefined : path.resolve(dir, u.schemaFile),
      timeoutMs: u.timeoutMs,
      headers,
      policies: u.policies,
      costs: u.costs,
      defaultListSize: u.defaultListSize,
      exposeExtensions: u.exposeExtensions,
    };
  });
  for (const [role, scopes] of Object.entries(data.roles)) {
    scopes.forEach((scope, i) => {
      if (!(scope in data.scopes)) throw new GatewayConfigError(`KEYGATE_CONFIG ${file}: roles.${role}[${i}] "${scope}" is not declared under scopes`);
    });
  }
  return { file, scopes: data.scopes, roles: data.roles, upstreams, defaultListSize: data.defaultListSize };
}

/** Reads and validates the file KEYGATE_CONFIG names. */
export async function loadGatewayConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<GatewayConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (err) {
    throw new GatewayConfigError(`KEYGATE_CONFIG ${absolute}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseGatewayConfig(text, absolute, env);
}
