import { registerEnumType } from 'type-graphql';

export enum CreditsRefillInterval {
  /** At 00:00 UTC every day. */
  DAILY = 'DAILY',
  /** At 00:00 UTC on `dayOfMonth` (default 1). */
  MONTHLY = 'MONTHLY',
}

registerEnumType(CreditsRefillInterval, {
  name: 'CreditsRefillInterval',
  description: 'When credits are set back to the refill amount.',
  valuesConfig: { DAILY: { description: 'At 00:00 UTC every day.' }, MONTHLY: { description: "At 00:00 UTC on the refill's dayOfMonth." } },
});
