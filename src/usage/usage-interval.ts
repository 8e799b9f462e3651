import { registerEnumType } from 'type-graphql';

/** The width of one usage bucket; buckets start on UTC boundaries. */
export enum UsageInterval {
  MINUTE = 'MINUTE',
  HOUR = 'HOUR',
  DAY = 'DAY',
}

registerEnumType(UsageInterval, {
  name: 'UsageInterval',
  description: 'The width of a usage bucket (UTC boundaries). Minute buckets are kept for the last 48 hours only.',
  valuesConfig: {
    MINUTE: { description: 'One bucket per minute (at most 2,000 buckets per question: a day fits).' },
    HOUR: { description: 'One bucket per hour.' },
    DAY: { description: 'One bucket per UTC day.' },
  },
});
