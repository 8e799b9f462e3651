import { CombinedGraphQLErrors } from '@apollo/client';
import type { CreditsRefillInterval, KeyCreditsInput, KeyLimitInput, LimitOf, LimitUnit } from './generated/graphql';
import { formatCount } from './format';

/** rateLimitPerMinute's limit, edited with the rest of the key (not among the named ones). */
export const DEFAULT_LIMIT = 'default';

export const UNITS: { value: LimitUnit; label: string }[] = [
  { value: 'REQUESTS', label: 'Requests' },
  { value: 'ROOT_FIELDS', label: 'Root fields' },
  { value: 'COST', label: 'Cost' },
];

const UNIT_WORDS: Record<LimitUnit, string> = { REQUESTS: 'requests', ROOT_FIELDS: 'root fields', COST: 'cost' };

export const WHOSE: Record<LimitOf, string> = { KEY: 'This key', PARENT_KEY: 'A parent key', USER: 'The owner' };

/** "60 s", "5 min", "1 h", "1 day": the period as people say it, exact (a period that is no whole unit stays in seconds). */
export function formatPeriod(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? '1 day' : `${seconds / 86_400} days`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** A wait, rounded as people say it ("42 s", "7 min", "3 h", "2 days"). */
export function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3_600) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export const describeLimit = (limit: { unit: LimitUnit; limit: number; periodSeconds: number }) =>
  `${formatCount(limit.limit)} ${UNIT_WORDS[limit.unit]} per ${formatPeriod(limit.periodSeconds)}`;

export function describeRefill(refill: { amount: number; interval: CreditsRefillInterval; dayOfMonth: number | null } | null): string {
  if (!refill) return 'no refill';
  const when = refill.interval === 'DAILY' ? 'every day (00:00 UTC)' : `every month on day ${refill.dayOfMonth ?? 1}`;
  return `back to ${formatCount(refill.amount)} ${when}`;
}

/** A limit being edited: text as typed, so that a half-typed number stays on screen until the server judges it. */
export interface LimitDraft {
  name: string;
  unit: LimitUnit;
  limit: string;
  periodSeconds: string;
}

export const toDraft = (l: { name: string; unit: LimitUnit; limit: number; periodSeconds: number }): LimitDraft => ({
  name: l.name,
  unit: l.unit,
  limit: String(l.limit),
  periodSeconds: String(l.periodSeconds),
});

// Numbers go to the server as typed (NaN as-is would not serialize; a non-number becomes -1 for the server to refuse by field).
const asNumber = (text: string) => (text.trim() === '' || !Number.isFinite(Number(text)) ? -1 : Number(text));

export const fromDraft = (d: LimitDraft): KeyLimitInput => ({
  name: d.name.trim(),
  unit: d.unit,
  limit: asNumber(d.limit),
  periodSeconds: asNumber(d.periodSeconds),
});

export interface CreditsDraft {
  enabled: boolean;
  remaining: string;
  refill: 'NONE' | CreditsRefillInterval;
  amount: string;
  dayOfMonth: string;
}

export function toCreditsDraft(
  credits: { remaining: number; refill: { amount: number; interval: CreditsRefillInterval; dayOfMonth: number | null } | null } | null,
): CreditsDraft {
  return {
    enabled: credits !== null,
    remaining: credits ? String(credits.remaining) : '',
    refill: credits?.refill?.interval ?? 'NONE',
    amount: credits?.refill ? String(credits.refill.amount) : '',
    dayOfMonth: credits?.refill?.dayOfMonth != null ? String(credits.refill.dayOfMonth) : '1',
  };
}

export function fromCreditsDraft(d: CreditsDraft): KeyCreditsInput | null {
  if (!d.enabled) return null;
  const refill =
    d.refill === 'NONE' ? null : { amount: asNumber(d.amount), interval: d.refill, ...(d.refill === 'MONTHLY' ? { dayOfMonth: asNumber(d.dayOfMonth) } : {}) };
  return { remaining: asNumber(d.remaining), refill };
}

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A refusal about one input field (BAD_USER_INPUT, or FORBIDDEN for loosening), so the form can show it beside that field. */
export interface FieldProblem {
  field: string | null;
  message: string;
}

export function problemOf(error: unknown): FieldProblem {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const field = first?.extensions?.field;
    return { field: typeof field === 'string' ? field : null, message: error.errors.map((e) => e.message).join(' ') };
  }
  return { field: null, message: error instanceof Error ? error.message : 'Something went wrong.' };
}

/** Whether a problem is about this field or something inside it (`limits` covers `limits[0].name`). */
export const isAbout = (problem: FieldProblem | null, field: string) =>
  !!problem?.field && (problem.field === field || problem.field.startsWith(`${field}.`) || problem.field.startsWith(`${field}[`));
