// Where a run's secrets come from: the embedded tenant's table, or the env vars a live target file names.
// Secrets never live on a Target, which is printed and written into reports.
import type { SecretSource, Target } from '../model.ts';

export function secretSource(target: Target, embedded: Record<string, string> | undefined | null, env: NodeJS.ProcessEnv = process.env): SecretSource {
  if (embedded) return { secretOf: (name) => embedded[name] };
  const envOf = new Map(target.keys.map((k) => [k.name, k.secret_env]));
  return { secretOf: (name) => (envOf.get(name) ? env[envOf.get(name)!] : undefined) };
}
