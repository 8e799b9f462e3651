import { createHash, hash, randomBytes } from 'node:crypto';

// crypto.hash (Node 20.12+) is the one-shot form: no Hash object on the request path.
const hasOneShot = typeof hash === 'function';

function digest(value: string, encoding: 'buffer' | 'hex'): Buffer | string {
  if (hasOneShot) return hash('sha256', value, encoding) as Buffer | string;
  const h = createHash('sha256').update(value);
  return encoding === 'hex' ? h.digest('hex') : h.digest();
}

export function sha256(value: string): Buffer {
  return digest(value, 'buffer') as Buffer;
}

export function sha256Hex(value: string): string {
  return digest(value, 'hex') as string;
}

/** `bytes` random bytes from the CSPRNG, base64url-encoded. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
