import { createHash, hash, randomBytes } from 'node:crypto';

// crypto.hash (Node 20.12+) is the one-shot form: no Hash object on the request path.
const oneShot: ((value: string) => Buffer) | undefined =
  typeof hash === 'function' ? (value) => hash('sha256', value, 'buffer') as unknown as Buffer : undefined;

export function sha256(value: string): Buffer {
  return oneShot ? oneShot(value) : createHash('sha256').update(value).digest();
}

export function sha256Hex(value: string): string {
  return typeof hash === 'function' ? hash('sha256', value, 'hex') : createHash('sha256').update(value).digest('hex');
}

/** `bytes` random bytes from the CSPRNG, base64url-encoded. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
