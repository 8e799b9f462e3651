import { type GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, Lexer, Source, TokenKind } from 'graphql';

/**
 * The last line of defence against a request error repeating what the client wrote: a secret
 * pasted into a literal, or typed where a field name should be. The names the schema itself
 * defines are what messages legitimately mention; every other name, and every string or number
 * the document holds, is replaced by `…` wherever the message repeats it.
 */

/** Names every GraphQL document may use, whatever the schema. */
const LANGUAGE_NAMES: ReadonlySet<string> = new Set([
  '__typename',
  '__schema',
  '__type',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'true',
  'false',
  'null',
]);

/**
 * How many schemas' names are kept: the schemas in use (an app's, or a gateway's before and after
 * a reload, for the requests still running on the old one) and a few more for the apps a test
 * process runs side by side. Older ones are forgotten, so reloads never grow the registry.
 */
export const SCHEMAS_REMEMBERED = 8;

/** The names of the last schemas remembered, newest last; a schema is held weakly, only to be recognised. */
const remembered: Array<{ schema: WeakRef<GraphQLSchema>; names: ReadonlySet<string> }> = [];

function namesOf(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    names.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        names.add(field.name);
        for (const arg of field.args) names.add(arg.name);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) names.add(field.name);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) names.add(value.name);
    }
  }
  for (const directive of schema.getDirectives()) {
    names.add(directive.name);
    for (const arg of directive.args) names.add(arg.name);
  }
  return names;
}

/**
 * Registers the names a message may mention (types, fields, arguments, enum values, directives),
 * and the parser's token limit: no error can point past it, so no further token is read.
 */
export function rememberSchemaNames(schema: GraphQLSchema, maxTokens?: number): void {
  if (maxTokens !== undefined) tokensToRead = maxTokens + 1;
  if (remembered.some((entry) => entry.schema.deref() === schema)) return;
  remembered.push({ schema: new WeakRef(schema), names: namesOf(schema) });
  if (remembered.length > SCHEMAS_REMEMBERED) remembered.shift();
}

/** Whether a name is one the schema defines (after rememberSchemaNames), which a message may repeat. */
export function isSchemaName(name: string): boolean {
  return LANGUAGE_NAMES.has(name) || remembered.some((entry) => entry.names.has(name));
}

/** How many names are registered (with repeats across schemas): for tests of the bound. */
export function schemaNameCount(): number {
  return remembered.reduce((sum, entry) => sum + entry.names.size, LANGUAGE_NAMES.size);
}

/** Words graphql-js's messages are made of: a client name that is one of them hides no secret, and replacing it would garble the message. */
const MESSAGE_WORDS = new Set(
  'type types field fields value values expected found argument arguments variable variables fragment fragments operation operations directive directives unknown cannot query used position expecting must within defined named name only provided required never spread selection selections subfields input object scalar enum list because conflict conflicts different with have has been does exist there can be one not the and for'.split(
    ' ',
  ),
);

/** Shorter values could match ordinary words of a message; they cannot hide a secret either. */
const MIN_LENGTH = 4;
/** A plain number like a page size hides no secret, and messages quote limits that may coincide. */
const SHORT_NUMBER = /^-?\d{1,9}$/;
/** Parsing stops at the token limit; lexing a refused document further would be wasted work. */
let tokensToRead = 10_000;

function clientWritten(document: string): { values: Set<string>; names: Set<string> } {
  const values = new Set<string>();
  const names = new Set<string>();
  const lexer = new Lexer(new Source(document));
  try {
    for (let i = 0; i < tokensToRead; i++) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) break;
      const value = token.value;
      if (value === undefined || value.length < MIN_LENGTH) continue;
      if (token.kind === TokenKind.NAME) {
        if (!isSchemaName(value) && !MESSAGE_WORDS.has(value.toLowerCase())) names.add(value);
      } else if (token.kind !== TokenKind.COMMENT && !SHORT_NUMBER.test(value)) {
        values.add(value);
      }
    }
  } catch {
    // A syntax error in the lexer: what came before it is all a message can repeat.
  }
  return { values, names };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function withoutClientText(message: string, document: string): string {
  const { values, names } = clientWritten(document);
  let safe = message;
  // Longest first, so a value is not half-replaced by a shorter one it contains.
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (safe.includes(value)) safe = safe.split(value).join('…');
  }
  for (const name of names) {
    if (safe.includes(name)) safe = safe.replace(new RegExp(`(?<![\\w])${escapeRegExp(name)}(?![\\w])`, 'g'), '…');
  }
  return safe;
}

/** The document text an error from graphql-js points into, if it carries one. */
export function documentOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const candidate = e as { source?: { body?: unknown }; nodes?: ReadonlyArray<{ loc?: { source?: { body?: unknown } } }>; originalError?: unknown };
    const body = candidate.source?.body ?? candidate.nodes?.[0]?.loc?.source?.body;
    if (typeof body === 'string') return body;
    e = candidate.originalError;
  }
  return undefined;
}
