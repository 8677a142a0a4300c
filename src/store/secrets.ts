/**
 * The secrets the server generates when none is configured: a write key, an admin token and the PII hashing secret. A generated secret is
 * kept in `server_settings` (a table of the store's migration 2) so it survives restarts, and reported once, on the start that created it.
 * It lives in the store because both doors need the PII secret: the server (`segmenta serve`) and the events file importer, which must
 * hash an address to the same value, and may be the first to create the secret.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from './db.js';

export type SecretName = 'write_key' | 'admin_token' | 'pii_secret';

const PREFIX: Record<SecretName, string> = { write_key: 'wk_', admin_token: 'adm_', pii_secret: '' };

/** The configured value, else the stored one, else a new random one that is stored; `generated` marks the last case. */
export async function secret(store: Store, name: SecretName, configured: string | undefined): Promise<{ value: string; generated: boolean }> {
  if (configured !== undefined) return { value: configured, generated: false };
  const stored = await store.scalar<string>(`SELECT value FROM server_settings WHERE name = $name`, { name });
  if (stored !== undefined) return { value: stored, generated: false };
  const value = `${PREFIX[name]}${randomBytes(24).toString('base64url')}`;
  await store.run(`INSERT INTO server_settings VALUES ($name, $value, now()::TIMESTAMP)`, { name, value });
  return { value, generated: true };
}
