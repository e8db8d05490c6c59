// The environment variable that holds a key's secret, as reproduction commands (curl) name it: a live
// target's `secret_env`, or GT_KEY_<NAME> for the embedded tenant (whose `mock` prints those exports).
import type { Target, TargetKey } from '../model.ts';

/** A name a POSIX shell accepts in "$NAME". */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `openai-chat+embed` → `GT_KEY_OPENAI_CHAT_EMBED`. */
export function placeholderEnv(keyName: string): string {
  return `GT_KEY_${keyName.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

export function keyEnvName(key: TargetKey): string {
  return key.secret_env && ENV_NAME.test(key.secret_env) ? key.secret_env : placeholderEnv(key.name);
}

/** The env var of the target key called `keyName`; undefined for a special key (@none, @malformed, @unknown) or an unknown name. */
export function keyEnvOf(target: Pick<Target, 'keys'>, keyName: string | undefined): string | undefined {
  const key = keyName === undefined ? undefined : target.keys.find((k) => k.name === keyName);
  return key ? keyEnvName(key) : undefined;
}
