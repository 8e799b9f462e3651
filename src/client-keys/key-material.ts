import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sha256, sha256Hex } from '../common/secrets';
import { CLIENT_KEY_PREFIX } from '../identity/credentials';

/**
 * Key format, after GitHub's tokens: `kg_` + 40 base62 characters from the CSPRNG (~238 bits)
 * + a 6-character base62 CRC32 of everything before it. The prefix lets secret scanners
 * find leaked keys; the checksum rejects a mistyped or truncated key without a database query.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 40;
const CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = CLIENT_KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;
/** What listings show: the prefix and the first 8 random characters. */
const DISPLAY_PREFIX_LENGTH = CLIENT_KEY_PREFIX.length + 8;

function isBase62(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function base62(value: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

function checksum(text: string): string {
  return base62(crc32(text), CHECKSUM_LENGTH);
}

export interface NewKey {
  key: string;
  hash: Buffer;
  prefix: string;
}

export function generateKey(): NewKey {
  let body = CLIENT_KEY_PREFIX;
  // randomInt draws without modulo bias.
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[randomInt(62)];
  const key = body + checksum(body);
  return { key, hash: hashKey(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** True when the key is as long as a key and starts like one: all a cache lookup needs to be bounded. */
export function hasKeyLength(key: string): boolean {
  return key.length === KEY_LENGTH && key.startsWith(CLIENT_KEY_PREFIX);
}

/** True when the key has the right shape and its checksum matches: checked before any lookup. */
export function isWellFormedKey(key: string): boolean {
  if (key.length !== KEY_LENGTH || !key.startsWith(CLIENT_KEY_PREFIX)) return false;
  for (let i = CLIENT_KEY_PREFIX.length; i < KEY_LENGTH; i++) if (!isBase62(key.charCodeAt(i))) return false;
  const body = key.slice(0, KEY_LENGTH - CHECKSUM_LENGTH);
  return checksum(body) === key.slice(KEY_LENGTH - CHECKSUM_LENGTH);
}

export function hashKey(key: string): Buffer {
  return sha256(key);
}

/** The same digest as hex, the verification cache's key, in one step. */
export function hashKeyHex(key: string): string {
  return sha256Hex(key);
}
