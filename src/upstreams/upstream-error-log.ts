/** Key names whose values are secrets wherever they sit in an upstream's error. */
const SECRET_NAME = /pass(word|wd)?|secret|token|credential|authori[sz]ation|cookie|api[-_]?key|private[-_]?key|session/i;
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
const MAX_STRING = 2000;

/**
 * A string from an upstream's error as the debug log may keep it: a URL's password, bearer tokens
 * and Keygate keys are cut out, and so are quoted literals, which are values (often the client's
 * own argument echoed in SQL), as the database error serializer does for PostgreSQL's messages.
 */
function redactText(text: string): string {
  const cut = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  return cut
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]*@/gi, '$1[REDACTED]@')
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]')
    .replace(/\bkg_[A-Za-z0-9_-]+/g, 'kg_[REDACTED]')
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
}

/** A copy of an upstream's error (message, path, extensions) fit for the debug log: bounded, secrets redacted. */
export function redactedUpstreamError(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => redactedUpstreamError(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value).slice(0, MAX_ITEMS)) {
    out[redactText(name)] = SECRET_NAME.test(name) ? '[REDACTED]' : redactedUpstreamError(inner, depth + 1);
  }
  return out;
}
