// cross-cutting/<route>/{no-key,malformed-key,unknown-key,revoked-key}: every route answers 401 to a request
// without a valid key, and never echoes the key it was given. Four kinds of one shape, one per bad key.
import type { KeyFinder, RouteKind } from '../kind.ts';
import type { DefectCatch } from '../kind.ts';
import type { TargetKey } from '../../model.ts';
import { routeLabel } from '../../contract/load.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

function authenticationKind(name: string, what: string, key: (keys: KeyFinder) => '@none' | '@malformed' | '@unknown' | TargetKey, catches: DefectCatch[]): RouteKind {
  return {
    scope: 'route',
    name,
    group: 'cross-cutting',
    severity: 'blocker',
    denial: true,
    appliesTo: () => true,
    title: (s) => `${routeLabel(s.route)} ${what}`,
    plan: (s, tools) => ({ probes: [tools.probe.unauthorized(s.route, key(tools.key))] }),
    catches: [...catches, ...ERROR_BODY_CATCHES],
  };
}

const echoed: DefectCatch = { defect: 'secret-echoed-401' };

export const noKey = authenticationKind('no-key', 'without a key answers 401', () => '@none', []);
export const malformedKey = authenticationKind('malformed-key', 'with a malformed bearer value answers 401', () => '@malformed', [{ defect: 'malformed-key-accepted' }, echoed]);
export const unknownKey = authenticationKind('unknown-key', 'with an unknown gtak_ key answers 401 without echoing it', () => '@unknown', [echoed]);
export const revokedKey = authenticationKind('revoked-key', 'with a revoked key answers 401', (keys) => keys.revoked(), [{ defect: 'revoked-key-accepted' }, echoed]);
