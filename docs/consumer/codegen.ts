import type { CodegenConfig } from '@graphql-codegen/cli';

// Keygate's custom scalars: DateTime is an ISO-8601 string on the wire.
const scalars = { DateTime: 'string', JSON: 'unknown' };

const config: CodegenConfig = {
  // A running Keygate (introspection is on outside production), or a copy of its schema.graphql.
  schema: process.env.KEYGATE_SCHEMA ?? 'http://localhost:8080/graphql',
  documents: ['src/**/*.graphql'],
  generates: {
    // Every schema type, once; enums as string unions (like the JSON on the wire).
    'src/gql/schema.ts': {
      plugins: ['typescript'],
      config: { enumsAsTypes: true, strictScalars: true, scalars, useTypeImports: true },
    },
    // Your operations, as typed documents. typescript-operations (v6+) would otherwise emit its own
    // copy of every enum it uses next to the one above (TS2300/TS2567): import them instead.
    'src/gql/operations.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { importSchemaTypesFrom: 'src/gql/schema.ts', emitLegacyCommonJSImports: false, strictScalars: true, scalars, useTypeImports: true },
    },
  },
};

export default config;
