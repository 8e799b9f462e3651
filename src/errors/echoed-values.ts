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
  const typed =
    /Expected type "(\w+)"/.exec(message) ?? /; (\w+) cannot represent/.exec(message) ?? /does not exist in "(\w+)" enum/.exec(message);
  if (typed) return `expected a value of type "${typed[1]}"`;
  return 'invalid value';
}

export function withoutEchoedValues(message: string): string {
  const variable = VARIABLE.exec(message);
  if (variable) {
    const paths = [...message.matchAll(PATH)];
    const path = paths.length > 0 ? ` at "${paths[paths.length - 1][1]}"` : '';
    return `Variable "${variable[1]}" got an invalid value${path}; ${expectation(message)}`;
  }
  const literal = LITERAL.exec(message);
  return literal ? literal[1] : message;
}
