/**
 * The examples of ../shared/seed/ClientKeysManager.md, copied as written. Only two things
 * differ from the seed: 'key-uuid' is replaced by a real id (the `keyId` parameter), and the
 * create example's expires_at, whose date has passed, is moved into the future.
 */
import { createClient, type KeygateClient } from '@keygate/sdk';

// ## Example
export async function overviewExample(): Promise<KeygateClient> {
  const client = createClient({ url: 'http://localhost:8080' });
  await client.auth.login({ email: 'user@example.com', password: 'password' });

  // Create a client key
  const { client_key, key } = await client.management.clientKeys.create({
    name: 'Production Service',
    scopes: ['read:users', 'write:users'],
    rate_limit_per_minute: 100,
  });

  // List client keys
  const { client_keys } = await client.management.clientKeys.list();
  void client_key;
  void key;
  void client_keys;
  return client;
}

// ### create()
export async function createExample(client: KeygateClient) {
  const { client_key, key } = await client.management.clientKeys.create({
    name: 'Production Service',
    description: 'Client key for production service',
    scopes: ['read:users', 'write:users'],
    rate_limit_per_minute: 100,
    expires_at: '2099-12-31T23:59:59Z',
  });

  // Store the key securely - it won't be shown again
  console.log('Client Key:', key);
  return client_key;
}

// ### delete()
export async function deleteExample(client: KeygateClient, keyId: string) {
  await client.management.clientKeys.delete(keyId);
  console.log('Client key deleted');
}

// ### get()
export async function getExample(client: KeygateClient, keyId: string) {
  const clientKey = await client.management.clientKeys.get(keyId);
  console.log('Last used:', clientKey.last_used_at);
}

// ### list()
export async function listExample(client: KeygateClient) {
  const { client_keys, total } = await client.management.clientKeys.list();

  client_keys.forEach((key) => {
    console.log(`${key.name}: ${key.key_prefix}... (expires: ${key.expires_at})`);
  });
  return total;
}

// ### revoke()
export async function revokeExample(client: KeygateClient, keyId: string) {
  await client.management.clientKeys.revoke(keyId);
  console.log('Client key revoked');
}

// ### update()
export async function updateExample(client: KeygateClient, keyId: string) {
  const updated = await client.management.clientKeys.update(keyId, {
    name: 'Updated Name',
    rate_limit_per_minute: 200,
  });
  return updated;
}
