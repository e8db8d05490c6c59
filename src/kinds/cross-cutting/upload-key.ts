// cross-cutting/models/upload-key: an upload key lists no models. GT-API.md: "An upload key on R1: 403, or an
// empty list" — a rule of GET /v1/models alone.
import type { RouteKind } from '../kind.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const uploadKey: RouteKind = {
  scope: 'route',
  name: 'upload-key',
  group: 'cross-cutting',
  severity: 'critical',
  denial: true,
  appliesTo: (s) => s.route.id === 'models',
  title: () => 'an upload key lists no models (403 or an empty list)',
  plan: (s, tools) => ({ probes: [tools.probe.denial(s.route, tools.key.ofPurpose('upload'))] }),
  catches: ERROR_BODY_CATCHES,
};
