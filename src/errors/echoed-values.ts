import { withoutClientText } from './client-text';

/**
 * graphql-js quotes the offending value in coercion errors, e.g.
 * `Variable "$i" got invalid value "kg_…" at "i.rateLimitPerMinute"; Int cannot represent
 * non-integer value: "kg_…"`. A client that pasted a secret into the wrong field would see it
 * echoed into responses and logs, so such messages are rebuilt from their safe parts only:
 * the variable, the path (schema field names), and what was expected.
 */
const VARIABLE = /^Variable "(\$\w+)" got invalid value /;
const PATH = / at "([\w.[\]]+)"; /g;
const LITERAL = /^(Expected value of type "[^"]+")/;

function expectation(message: string): string {
  const required = /Field "(\w+)" of required type "([^"]+)" was not provided\.?$/.exec(message);
  if (required) return `field "${required[1]}" of required type "${required[2]}" was not provided`;
  const unknownField = /is not defined by type "(\w+)"\.?$/.exec(message);
  if (unknownField) return `a field is not defined by type "${unknownField[1]}"`;
  const notNull = /Expected non-nullable type "([^"]+)" not to be null\.?$/.exec(message);
  if (notNull) return `expected a value of type "${notNull[1]}", not null`;
  const typed = /Expected type "(\w+)"/.exec(message) ?? /; (\w+) cannot represent/.exec(message) ?? /does not exist in "(\w+)" enum/.exec(message);
  if (typed) return `expected a value of type "${typed[1]}"`;
  return 'invalid value';
}

/**
 * Messages graphql-js builds from a literal in the document (an Int, enum or scalar literal)
 * or from the token a syntax error stopped at: each is rebuilt without the literal. The error's
 * `locations` still point at it.
 */
const SYNTAX_TOKEN = /^(Syntax Error: .*?\b(?:Name|Int|Float|String|BlockString)) ".*"(\.?)$/s;
const SCALAR_LITERAL = /^(?:Enum "(\w+)"|(\w+)) cannot represent /;
const ENUM_LITERAL = /^Value ".*" does not exist in "(\w+)" enum/s;
const UNKNOWN_INPUT_FIELD = /^Field ".*" is not defined by type "(\w+)"/s;
const UNKNOWN_OPERATION = /^Unknown operation named ".*"/s;

/**
 * graphql-js's lexer quotes what it stopped at: a character (`Unexpected character: "x"`, or
 * `U+00E9`), or up to 12 characters of an escape (`Invalid Unicode escape sequence: "\uSECR"`).
 * A few characters of a secret are still the secret's, so each is rebuilt with no quote at all;
 * so is the parser's one message that quotes a name whole (a variable in a default value).
 */
const LEXER_ECHO: ReadonlyArray<[RegExp, string]> = [
  [/^Syntax Error: Unexpected character: /, 'Syntax Error: Unexpected character.'],
  [/^Syntax Error: Invalid character within String: /, 'Syntax Error: Invalid character within String.'],
  [/^Syntax Error: Invalid character: /, 'Syntax Error: Invalid character.'],
  [/^Syntax Error: Invalid number, unexpected digit after 0: /, 'Syntax Error: Invalid number, unexpected digit after 0.'],
  [/^Syntax Error: Invalid number, expected digit but got: /, 'Syntax Error: Invalid number, expected a digit.'],
  [/^Syntax Error: Invalid Unicode escape sequence: /, 'Syntax Error: Invalid Unicode escape sequence.'],
  [/^Syntax Error: Invalid character escape sequence: /, 'Syntax Error: Invalid character escape sequence.'],
  [/^Syntax Error: Unexpected variable ".*" in constant value\.?$/s, 'Syntax Error: Unexpected variable in constant value.'],
];

function withoutLiteral(message: string): string {
  for (const [pattern, rebuilt] of LEXER_ECHO) if (pattern.test(message)) return rebuilt;
  const syntax = SYNTAX_TOKEN.exec(message);
  if (syntax) return `${syntax[1]}${syntax[2]}`;
  const scalar = SCALAR_LITERAL.exec(message);
  if (scalar) return `Expected a value of type "${scalar[1] ?? scalar[2]}"`;
  const enumValue = ENUM_LITERAL.exec(message);
  if (enumValue) return `Expected a value of type "${enumValue[1]}"`;
  const inputField = UNKNOWN_INPUT_FIELD.exec(message);
  if (inputField) return `A field is not defined by type "${inputField[1]}"`;
  if (UNKNOWN_OPERATION.test(message)) return 'Unknown operation name';
  const literal = LITERAL.exec(message);
  return literal ? literal[1] : message;
}

/**
 * Rebuilds a request error's message from its safe parts. With the document's text, anything
 * else the client wrote that still shows in the message (a string or number, a name the schema
 * does not know) is replaced by `…`: see client-text.ts.
 */
export function withoutEchoedValues(message: string, document?: string): string {
  const variable = VARIABLE.exec(message);
  let safe: string;
  if (variable) {
    const paths = [...message.matchAll(PATH)];
    const path = paths.length > 0 ? ` at "${paths[paths.length - 1][1]}"` : '';
    safe = `Variable "${variable[1]}" got an invalid value${path}; ${expectation(message)}`;
  } else {
    safe = withoutLiteral(message);
  }
  return document === undefined ? safe : withoutClientText(safe, document);
}
