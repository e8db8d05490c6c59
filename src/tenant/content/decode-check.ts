// Decides at upload time whether a file will fail processing, and why: an empty file, a file
// carrying the %%UNDECODABLE%% marker, or a file whose bytes do not match its extension's magic number.

export const UNDECODABLE_MARKER = '%%UNDECODABLE%%';

const magicByExtension: Record<string, { label: string; matches: (b: Buffer) => boolean }> = {};
const starts = (...sig: number[]) => (b: Buffer) => sig.every((byte, i) => b[i] === byte);
const ascii = (text: string) => starts(...Buffer.from(text, 'latin1'));

function register(extensions: string[], label: string, matches: (b: Buffer) => boolean) {
  for (const ext of extensions) magicByExtension[ext] = { label, matches };
}
register(['pdf'], 'PDF', ascii('%PDF-'));
register(['png'], 'PNG', starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a));
register(['jpg', 'jpeg'], 'JPEG', starts(0xff, 0xd8, 0xff));
register(['gif'], 'GIF', ascii('GIF8'));
register(['zip', 'docx', 'xlsx', 'pptx'], 'ZIP', starts(0x50, 0x4b, 0x03, 0x04));
register(['wav'], 'WAV', (b) => ascii('RIFF')(b) && b.subarray(8, 12).toString('latin1') === 'WAVE');

/** The reason processing will fail, or undefined when the file decodes. */
export function decodeProblem(filename: string, data: Buffer): string | undefined {
  if (data.length === 0) return 'the file is empty';
  if (data.includes(UNDECODABLE_MARKER, 0, 'latin1')) return 'the file content could not be decoded';
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  const magic = ext ? magicByExtension[ext] : undefined;
  if (magic && !magic.matches(data)) return `the file is named .${ext} but its content is not ${magic.label}`;
  return undefined;
}
