/**
 * JSON text made ahead of time, to be written into a response as it is: a value whose text
 * barely changes between requests (a key's budgets in `extensions.cost`) is then not walked
 * and escaped again by JSON.stringify on every response. Only `stringifyResult` knows it.
 */
export class RawJson {
  constructor(readonly json: string) {}

  /** Anything else that stringifies it still gets the same JSON. */
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/**
 * A GraphQL response body as JSON, writing the RawJson members of its `extensions` as they are.
 * The members keep their order; `extensions` is written last, where Apollo puts it.
 */
export function stringifyResult(value: object): string {
  const extensions = (value as { extensions?: Record<string, unknown> }).extensions;
  let raw = false;
  if (extensions) for (const name in extensions) if (extensions[name] instanceof RawJson) raw = true;
  if (!raw) return JSON.stringify(value);
  let members = '';
  for (const name in extensions) {
    const member = extensions![name];
    const text = member instanceof RawJson ? member.json : JSON.stringify(member);
    if (text !== undefined) members += `${members ? ',' : ''}${JSON.stringify(name)}:${text}`;
  }
  const rest = JSON.stringify({ ...value, extensions: undefined });
  return `${rest === '{}' ? '{' : `${rest.slice(0, -1)},`}"extensions":{${members}}}`;
}
