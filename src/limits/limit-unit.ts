import { registerEnumType } from 'type-graphql';

/** What one unit of a limit counts. */
export enum LimitUnit {
  /** One per request that runs. */
  REQUESTS = 'REQUESTS',
  /** One per executed root field (15 aliased mutations are 15). */
  ROOT_FIELDS = 'ROOT_FIELDS',
  /** The operation's cost (estimated to admit it, the actual cost kept). */
  COST = 'COST',
}

registerEnumType(LimitUnit, {
  name: 'LimitUnit',
  description: 'What one unit of a limit counts.',
  valuesConfig: {
    REQUESTS: { description: 'One per request that runs.' },
    ROOT_FIELDS: { description: 'One per executed root field (15 aliased mutations are 15).' },
    COST: { description: "The operation's cost: the estimate is reserved, the actual cost kept." },
  },
});
