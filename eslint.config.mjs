// `npm run lint`: typescript-eslint's recommended rules (no type-aware rules: fast, and they pass
// on the code as it is), with formatting left to Prettier (eslint-config-prettier turns off the
// rules that would fight it). The direction of imports between folders is checked by
// test/architecture/layers.test.ts, which knows the layers.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', '.keygate/**', 'src/sdk/generated/**', 'sdk/**/generated/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // Tests and a few GraphQL helpers deal in untyped JSON on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // `_unused` names say "deliberately ignored".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Non-null assertions mark facts the compiler cannot see (a value checked a line above, a started server).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // type-graphql's decorators and TypeORM's entities use empty classes and namespaces by design.
      '@typescript-eslint/no-extraneous-class': 'off',
      // A few CommonJS modules are loaded with require() on purpose (embedded PostgreSQL's exit hook, jest mocks).
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
