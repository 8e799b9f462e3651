import { createHash, randomBytes } from 'node:crypto';

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** `bytes` random bytes from the CSPRNG, base64url-encoded. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
