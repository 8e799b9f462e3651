import { Field, ObjectType } from 'type-graphql';

@ObjectType('Scope', { description: 'A scope of the catalog: what a key or a role may be granted.' })
export class ScopeType {
  @Field({ description: 'The scope as keys and @requiresScopes name it, e.g. read:clientkeys.' })
  name!: string;

  @Field({ description: 'What the scope allows.' })
  description!: string;
}
