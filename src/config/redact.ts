/** Key names whose values are secrets, at any depth of a settings object. */
const SECRET_KEY = /pass(word)?|secret|token|private|credential|api_key|access_key|keyfile_json|session/i;

export const MASK = '****';

/** A copy of `value` with every secret-looking key's value masked, however deep it sits. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? MASK : redactSecrets(item);
    return out;
  }
  return value;
}
