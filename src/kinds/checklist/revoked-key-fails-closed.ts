// <product>/checklist/<n>-revoked-key-fails-closed: a revoked key is refused (401) on the routes every product calls first.
import { item } from './item.ts';

export const revokedKeyFailsClosed = item(
  'revoked-key-fails-closed',
  'models',
  (_s, tools) => {
    const revoked = tools.key.revoked();
    return { probes: ['models', 'chat'].map((id) => tools.probe.unauthorized(tools.route(id), revoked)) };
  },
  [{ defect: 'revoked-key-accepted' }, { defect: 'secret-echoed-401' }, { defect: 'errors-plain-text' }],
);
