/**
 * The shape of `DocumentTypeDecoration` from @graphql-typed-document-node/core, declared here so
 * the SDK installs with no dependencies. TypeScript compares it structurally, so the generated
 * documents still type Apollo Client, urql and graphql-request calls like the original.
 */
export interface DocumentTypeDecoration<TResult, TVariables> {
  /** Never set at run time: it carries the result and variables types. */
  __apiType?: (variables: TVariables) => TResult;
}
