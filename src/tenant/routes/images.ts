// R6 POST /v1/images/generations: a valid PNG per image, as b64_json (or a data: URL).
import type { RouteHandler } from '../context.ts';
import { sendJson } from '../http.ts';
import { promptPng } from '../content/png.ts';
import { readJson } from './validate.ts';

const DEFAULT_SIZE = '256x256';
const MAX_SIDE = 1792;
const MAX_IMAGES = 4;

export const createImage: RouteHandler = async (ctx) => {
  const body = await readJson(ctx);
  const model = ctx.requireString(body, 'model');
  const prompt = ctx.requireString(body, 'prompt');
  const n = body.n ?? 1;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > MAX_IMAGES) throw ctx.badRequest(`field "n" must be an integer from 1 to ${MAX_IMAGES}`);
  const sizeText = ctx.optionalString(body, 'size') ?? DEFAULT_SIZE;
  const size = /^(\d{1,4})x(\d{1,4})$/.exec(sizeText === 'auto' ? DEFAULT_SIZE : sizeText);
  const [width, height] = size ? [Number(size[1]), Number(size[2])] : [0, 0];
  if (!size || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) throw ctx.badRequest(`field "size" must be WIDTHxHEIGHT, each side at most ${MAX_SIDE}, or auto`);
  const format = ctx.optionalString(body, 'response_format') ?? 'b64_json';
  if (format !== 'b64_json' && format !== 'url') throw ctx.badRequest('field "response_format" must be "b64_json" or "url"');
  ctx.requireModel(model);

  const data = Array.from({ length: n as number }, (_, i) => {
    const bytes = ctx.has('image-not-png') ? Buffer.from(JSON.stringify({ prompt, image: i })) : promptPng(`${prompt}\0${i}`, width, height);
    const b64 = bytes.toString('base64');
    return format === 'url' ? { url: `data:image/png;base64,${b64}` } : { b64_json: b64 };
  });
  sendJson(ctx.res, 200, { created: Math.floor(ctx.rt.now() / 1000), data });
};
