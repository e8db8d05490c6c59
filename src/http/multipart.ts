// multipart/form-data bodies, built by hand so the bytes sent are known exactly and can be summarised.
import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface Multipart {
  fields: Record<string, string>;
  files: MultipartFile[];
}

const quoted = (s: string) => `"${s.replace(/[\r\n]/g, ' ').replace(/"/g, '%22')}"`;

export function encodeMultipart(form: Multipart): { contentType: string; body: Buffer } {
  const boundary = `----gt-conformance-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(form.fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`));
  }
  for (const file of form.files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(file.field)}; filename=${quoted(file.filename)}\r\n` +
          `Content-Type: ${file.contentType}\r\n\r\n`,
      ),
      Buffer.from(file.bytes),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/** `model="whisper-alias"; file=call.wav <1234 bytes audio/wav>`: what the exchange record shows. */
export function describeMultipart(form: Multipart): string {
  return [
    ...Object.entries(form.fields).map(([name, value]) => `${name}=${JSON.stringify(value)}`),
    ...form.files.map((f) => `${f.field}=${f.filename} <${f.bytes.byteLength} bytes ${f.contentType}>`),
  ].join('; ');
}
