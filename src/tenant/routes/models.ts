// R1 GET /v1/models: exactly the published names on the key's allowlist.
import type { RouteHandler } from '../context.ts';
import { sendJson } from '../http.ts';

export const listModels: RouteHandler = async (ctx) => {
  const { published, publishedAt } = ctx.rt;
  const visible = ctx.has('models-leak') ? published : published.filter((p) => ctx.key.models.includes(p.name));
  sendJson(ctx.res, 200, {
    object: 'list',
    data: visible.map((p) => ({ id: p.name, object: 'model', created: publishedAt, owned_by: p.owned_by ?? 'gt-tenant' })),
  });
};
