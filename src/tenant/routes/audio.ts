// R4 POST /v1/audio/transcriptions (multipart) and R5 POST /v1/audio/speech (JSON → audio bytes).
import type { RouteHandler } from '../context.ts';
import { sendBytes, sendJson } from '../http.ts';
import { silentMp3, tonePcm, wavFile } from '../content/audio.ts';
import { filePart, readForm, readJson } from './validate.ts';

const TRANSCRIPT_FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'];

export const createTranscription: RouteHandler = async (ctx) => {
  const form = await readForm(ctx);
  const file = filePart(ctx, form);
  const model = form.fields.model;
  if (!model) throw ctx.missingField('model');
  const format = form.fields.response_format || 'json';
  if (!TRANSCRIPT_FORMATS.includes(format)) throw ctx.badRequest(`field "response_format" must be one of ${TRANSCRIPT_FORMATS.join(', ')}`);
  ctx.requireModel(model);
  if (file.data.length === 0) throw ctx.badRequest('the audio file is empty', 'empty_file');

  const text = `Transcript of ${file.filename || 'audio'} (${file.data.length} bytes).`;
  const duration = Math.round((file.data.length / 48_000) * 100) / 100;
  switch (format) {
    case 'json':
      return sendJson(ctx.res, 200, { text });
    case 'verbose_json':
      return sendJson(ctx.res, 200, { task: 'transcribe', language: form.fields.language || 'english', duration, text, segments: [] });
    case 'text':
      return sendBytes(ctx.res, 200, 'text/plain; charset=utf-8', Buffer.from(text));
    case 'srt':
      return sendBytes(ctx.res, 200, 'text/plain; charset=utf-8', Buffer.from(`1\n00:00:00,000 --> 00:00:01,000\n${text}\n`));
    default:
      return sendBytes(ctx.res, 200, 'text/vtt; charset=utf-8', Buffer.from(`WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${text}\n`));
  }
};

const SPEECH_FORMATS: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', pcm: 'audio/pcm' };
const UNSUPPORTED_SPEECH_FORMATS = ['flac', 'opus', 'aac'];
const MAX_SPEECH_INPUT = 4096;

export const createSpeech: RouteHandler = async (ctx) => {
  const body = await readJson(ctx);
  const model = ctx.requireString(body, 'model');
  const input = ctx.requireString(body, 'input');
  ctx.optionalString(body, 'voice');
  const format = ctx.optionalString(body, 'response_format') ?? 'wav';
  if (UNSUPPORTED_SPEECH_FORMATS.includes(format)) throw ctx.badRequest(`response_format "${format}" is not supported by this tenant; use wav, mp3 or pcm`, 'unsupported_format');
  if (!SPEECH_FORMATS[format]) throw ctx.badRequest('field "response_format" must be one of wav, mp3, pcm');
  if (input.length > MAX_SPEECH_INPUT) throw ctx.badRequest(`field "input" is longer than ${MAX_SPEECH_INPUT} characters`);
  ctx.requireModel(model);

  if (format === 'mp3' || (format === 'wav' && ctx.has('speech-wrong-format'))) {
    return sendBytes(ctx.res, 200, SPEECH_FORMATS[format], silentMp3(input));
  }
  const pcm = tonePcm(input);
  sendBytes(ctx.res, 200, SPEECH_FORMATS[format], format === 'wav' ? wavFile(pcm) : pcm);
};
