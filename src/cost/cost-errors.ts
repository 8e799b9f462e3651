import { BadUserInputError } from '../errors/app-errors';

/**
 * A variable the cost depends on does not fit its declared type, so the operation cannot be
 * priced (nor run). The message never repeats the value or the variable's name.
 */
export class CostVariablesError extends BadUserInputError {
  constructor() {
    super('variables', 'a variable does not fit its declared type');
  }
}

/** A document too big to price (nesting, or fragments spread within fragments): refused before anything runs. */
export class CostDocumentTooComplexError extends BadUserInputError {
  constructor() {
    super('query', 'the operation is too complex to be priced');
  }
}
