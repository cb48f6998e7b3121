/**
 * Key names whose values are secrets, at any depth of a settings object or of --vars: a password,
 * secret, token, credential, private or session value, or a key (`api_key`, `s3_access_key_id`,
 * `keyfile_json`; `key` must start a word of the name, so `monkey` is not one). Masking too much
 * (a var named `unique_key`) is the safe side.
 */
const SECRET_KEY = /pass(word|phrase)?|secret|token|private|credential|session|(^|[_\-.])key|apikey/i;

export const MASK = '****';

/** Whether a value stored under `key` must never be printed or written. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A copy of `value` with every secret-looking key's value masked, however deep it sits. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = isSecretKey(key) ? MASK : redactSecrets(item);
    return out;
  }
  return value;
}
