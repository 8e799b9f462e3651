import { buildSchema, graphql, type GraphQLSchema, isObjectType } from 'graphql';
import type { Principal } from '../../src/identity/principal';
import { applyAuthDirectives } from '../../src/directives/auth-directives-transform';
import { UserRole } from '../../src/identity/user-role';

const DIRECTIVES = `
  directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @public on FIELD_DEFINITION
`;

function schemaOf(sdl: string, resolvers: Record<string, Record<string, unknown>> = {}): GraphQLSchema {
  const schema = buildSchema(DIRECTIVES + sdl);
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(typeName);
    for (const [name, value] of Object.entries(fields)) type.getFields()[name].resolve = () => value;
  }
  return applyAuthDirectives(schema);
}

function caller(scopes: string[]): Principal {
  return { kind: 'USER', id: 'u', userId: 'u', role: UserRole.MEMBER, scopes: new Set(scopes) };
}

async function run(schema: GraphQLSchema, source: string, principal?: Principal) {
  return graphql({ schema, source, contextValue: { principal } });
}

describe('applyAuthDirectives', () => {
  it('refuses to build when a root field has no directive, naming the field', () => {
    expect(() => schemaOf('type Query { open: Int @public  forgotten: Int }')).toThrow(/Query\.forgotten.*found none/);
    expect(() => schemaOf('type Query { ok: Int @public } type Mutation { change: Int }')).toThrow(/Mutation\.change/);
  });

  it('refuses a root field with two directives', () => {
    expect(() => schemaOf('type Query { both: Int @public @authenticated }')).toThrow(/Query\.both.*@public, @authenticated/);
  });

  const schema = schemaOf(
    `type Query {
      open: Int @public
      session: Int @authenticated
      either: Int @requiresScopes(scopes: [["a"], ["b"]])
      both: Int @requiresScopes(scopes: [["a", "b"]])
      account: Account @authenticated
      secret: Secret @authenticated
    }
    type Account { name: String  balance: Int @requiresScopes(scopes: [["money"]]) }
    type Secret @requiresScopes(scopes: [["classified"]]) { text: String }`,
    { Query: { open: 1, session: 2, either: 3, both: 4, account: { name: 'n', balance: 10 }, secret: { text: 't' } } },
  );

  it('lets anyone through @public', async () => {
    expect((await run(schema, '{ open }')).data).toEqual({ open: 1 });
  });

  it('answers UNAUTHENTICATED to an anonymous caller', async () => {
    const res = await run(schema, '{ session }');
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await run(schema, '{ session }', caller([]))).data).toEqual({ session: 2 });
  });

  it('treats the outer list as OR and the inner lists as AND', async () => {
    expect((await run(schema, '{ either }', caller(['b']))).data).toEqual({ either: 3 });
    const denied = await run(schema, '{ both }', caller(['a']));
    expect(denied.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: [['a', 'b']] });
    expect((await run(schema, '{ both }', caller(['a', 'b']))).data).toEqual({ both: 4 });
  });

  it('enforces directives on fields of object types', async () => {
    const res = await run(schema, '{ account { name balance } }', caller([]));
    expect(res.data).toEqual({ account: { name: 'n', balance: null } });
    expect(res.errors?.[0]).toMatchObject({ path: ['account', 'balance'], extensions: { code: 'FORBIDDEN', requiredScopes: [['money']] } });
  });

  it('enforces a directive on an object type for every field returning it', async () => {
    const res = await run(schema, '{ secret { text } }', caller([]));
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: [['classified']] });
    expect((await run(schema, '{ secret { text } }', caller(['classified']))).data).toEqual({ secret: { text: 't' } });
  });
});
