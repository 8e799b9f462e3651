import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { GatewayConfigError } from './gateway-config';

export interface IdentityKey {
  privateKey: KeyObject;
  alg: 'EdDSA' | 'ES256';
  kid: string;
  /** The public half as published at /.well-known/jwks.json. */
  publicJwk: JWK;
}

const KEY_FILE = 'identity-signing-key.json';

function algOf(key: KeyObject): 'EdDSA' | 'ES256' {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new GatewayConfigError('IDENTITY_SIGNING_KEY must be an Ed25519 (EdDSA) or P-256 (ES256) private key');
}

/** A private key given as a JWK (JSON) or a PEM. */
function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) return createPrivateKey({ key: JSON.parse(trimmed) as import('node:crypto').JsonWebKey, format: 'jwk' });
    return createPrivateKey(trimmed.replace(/\\n/g, '\n'));
  } catch {
    // The message never repeats the value: it is a secret.
    throw new GatewayConfigError('IDENTITY_SIGNING_KEY must be a private key as a JWK (JSON) or PEM');
  }
}

async function describe(privateKey: KeyObject): Promise<IdentityKey> {
  const alg = algOf(privateKey);
  const publicJwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateKey, alg, kid, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

/**
 * The key that signs x-keygate-identity. IDENTITY_SIGNING_KEY when set (required in production,
 * so every instance signs alike); otherwise an Ed25519 key generated once into DATA_DIR.
 */
export async function resolveIdentityKey(options: { configured?: string; production: boolean; dataDir: string }): Promise<IdentityKey> {
  if (options.configured) return describe(parsePrivateKey(options.configured));
  if (options.production) throw new GatewayConfigError('IDENTITY_SIGNING_KEY is required when NODE_ENV=production and KEYGATE_CONFIG has upstreams');
  const file = path.join(options.dataDir, KEY_FILE);
  try {
    return await describe(parsePrivateKey(await fs.readFile(file, 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await fs.mkdir(options.dataDir, { recursive: true });
  await fs.writeFile(file, JSON.stringify(privateKey.export({ format: 'jwk' })) + '\n', { mode: 0o600 });
  return describe(privateKey);
}
