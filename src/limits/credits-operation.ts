import { registerEnumType } from 'type-graphql';

export enum CreditsOperation {
  SET = 'SET',
  INCREMENT = 'INCREMENT',
  DECREMENT = 'DECREMENT',
}

registerEnumType(CreditsOperation, {
  name: 'CreditsOperation',
  description: 'How adjustClientKeyCredits changes the remaining credits.',
  valuesConfig: {
    SET: { description: 'Remaining becomes the amount.' },
    INCREMENT: { description: 'The amount is added.' },
    DECREMENT: { description: 'The amount is taken away (never below 0).' },
  },
});
