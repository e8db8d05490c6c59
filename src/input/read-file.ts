// Reading an input file the user named: bounded in bytes, and every failure put in words.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './usage-error.ts';

/** Reads at most maxBytes + 1 bytes, so a huge file, a FIFO or /dev/zero cannot exhaust memory or hang. */
export function readBounded(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

/** Why a file could not be read, in words; `folderMessage` replaces the words for a folder. */
export function readProblem(err: NodeJS.ErrnoException, folderMessage = 'is a folder, not a file'): string {
  switch (err.code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return folderMessage;
    case 'EACCES':
    case 'EPERM':
      return 'cannot read the file: permission denied';
    default:
      return `cannot read the file (${err.code ?? err.message})`;
  }
}

/** The bytes of a file the user named, or one UsageError line: `FILE: file not found`, `FILE: larger than 64 MiB`. */
export function readInputFile(file: string, maxBytes: number): Buffer {
  let bytes: Buffer;
  try {
    bytes = readBounded(file, maxBytes);
  } catch (err) {
    throw new UsageError(`${file}: ${readProblem(err as NodeJS.ErrnoException)}`);
  }
  if (bytes.length > maxBytes) throw new UsageError(`${file}: larger than ${maxBytes / 1024 / 1024} MiB, the most the harness reads`);
  return bytes;
}
