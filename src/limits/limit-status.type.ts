import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LimitUnit } from './limit-unit';

export enum LimitOf {
  KEY = 'KEY',
  PARENT_KEY = 'PARENT_KEY',
  USER = 'USER',
}

registerEnumType(LimitOf, {
  name: 'LimitOf',
  description: "Whose limit: the key's, a key above it in its lineage, or its owner's.",
  valuesConfig: {
    KEY: { description: "The requesting key's own." },
    PARENT_KEY: { description: 'A key above it in its lineage: shared by every key it minted.' },
    USER: { description: "The key owner's: shared by all of the owner's keys." },
  },
});

@ObjectType({ description: 'One limit a request is charged to, and what remains of it.' })
export class LimitStatus {
  @Field({ description: "The limit's name; a parent key's are `parent.<name>` (`parent2.` two up), the owner's `user.<name>`." })
  name: string;

  @Field(() => LimitUnit, { description: 'What it counts.' })
  unit: LimitUnit;

  @Field(() => Int, { description: 'Units allowed per period.' })
  limit: number;

  @Field(() => Int, { description: 'The span it counts over (a sliding window).' })
  periodSeconds: number;

  @Field(() => Int, { description: 'Units left now.' })
  remaining: number;

  @Field(() => Int, { description: 'Seconds until every unit counted now has left the window.' })
  resetSeconds: number;

  @Field(() => LimitOf, { description: 'Whose limit it is.' })
  limitOf: LimitOf;
}
