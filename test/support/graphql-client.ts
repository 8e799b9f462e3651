export interface GraphQLResult<T = any> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
  /** The first error's code, the most common thing a test asserts. */
  code?: string;
  /** `extensions` of the response (a key's `cost`). */
  extensions?: Record<string, any>;
}

export type Credentials = { token: string } | { key: string } | Record<string, never>;

export function authHeaders(credentials: Credentials = {}): Record<string, string> {
  if ('token' in credentials) return { authorization: `Bearer ${credentials.token}` };
  if ('key' in credentials) return { 'x-client-key': credentials.key };
  return {};
}

/** POSTs one GraphQL operation over real HTTP. */
export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GraphQLResult['errors']; extensions?: Record<string, any> };
  return {
    status: res.status,
    headers: res.headers,
    data: body.data ?? undefined,
    errors: body.errors,
    code: body.errors?.[0]?.extensions?.code,
    extensions: body.extensions,
  };
}

/**
 * A response body without `extensions.cost`, which every response to a client key carries (what
 * remains moves with every request): for tests about the rest of the body.
 */
export function withoutCost<T>(body: T): T {
  if (!body || typeof body !== 'object' || !('extensions' in body)) return body;
  const { extensions, ...rest } = body as { extensions?: Record<string, unknown> };
  const { cost: _cost, ...others } = extensions ?? {};
  return (Object.keys(others).length ? { ...rest, extensions: others } : rest) as T;
}
