import { BadUserInputError } from '../errors/app-errors';

/** Input rules shared by services; each failure names the field it is about. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function normaliseEmail(value: string, field = 'email'): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw new BadUserInputError(field, 'must be a valid email address');
  return email;
}

export function checkPassword(value: string, field = 'password'): string {
  // bcrypt ignores everything past 72 bytes: refuse rather than silently truncate.
  const bytes = Buffer.byteLength(value, 'utf8');
  if (value.length < 8) throw new BadUserInputError(field, 'must be at least 8 characters');
  if (bytes > 72) throw new BadUserInputError(field, 'must be at most 72 bytes');
  return value;
}

export function checkUuid(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw new BadUserInputError(field, 'must be a UUID');
  return value.toLowerCase();
}

export function checkText(value: string, field: string, { min, max }: { min: number; max: number }): string {
  const text = value.trim();
  if (text.length < min) throw new BadUserInputError(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
  if (text.length > max) throw new BadUserInputError(field, `must be at most ${max} characters`);
  return text;
}

export function checkIntRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInputError(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}
