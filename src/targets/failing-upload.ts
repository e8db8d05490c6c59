// The failing_upload sample of a target file or a tenant seed: a file the tenant refuses at upload or ends
// failed, since GT documents no content that must fail processing (GT-API.md, open points).
import { statSync } from 'node:fs';
import path from 'node:path';
import type { FailingUpload } from '../model.ts';

/** As written in a target file or seed: `failing_upload: { file: samples/bad.pdf, expect: failed }`. */
export interface RawFailingUpload {
  file: string;
  expect?: 'refused' | 'failed';
  content_type?: string;
}

/** The largest sample the harness uploads: the embedded tenant's upload limit. */
export const FAILING_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The content type a file is uploaded with when the sample names none: by its extension. */
export function contentTypeOf(filename: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return (ext && CONTENT_TYPES[ext]) || 'application/octet-stream';
}

/** The sample, its file resolved against `baseDir` (the folder of the file that names it), or why it cannot be used. */
export function resolveFailingUpload(raw: RawFailingUpload, baseDir: string): { sample?: FailingUpload; problem?: string } {
  const file = path.resolve(baseDir, raw.file);
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { problem: `${raw.file} is not a file` };
    size = stat.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: `${raw.file}: ${code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? 'error'})`} (a path is relative to the file that names it)` };
  }
  if (size > FAILING_UPLOAD_MAX_BYTES) return { problem: `${raw.file} is ${size} bytes; a failing_upload sample may be at most ${FAILING_UPLOAD_MAX_BYTES} bytes` };
  const filename = path.basename(file);
  return { sample: { file, filename, contentType: raw.content_type ?? contentTypeOf(filename), ...(raw.expect ? { expect: raw.expect } : {}) } };
}
