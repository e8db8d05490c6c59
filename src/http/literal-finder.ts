// Finds many literal strings in a text at once: at every position where one of them starts, the longest
// that does. This is what one regex alternation of them all (longest first, searched again from each match's
// next position) finds, without its cost: V8 tries every alternative at every position.
//
// The search is Wu and Manber's: a window as wide as the shortest literal slides over the text, and the last
// BLOCK characters of the window say how far it may jump without passing the start of any literal (most
// blocks of a text are in no literal: the window jumps its width less BLOCK - 1). Where the jump is 0, the
// literals whose first characters hash as the window's are compared.

export interface LiteralFinder {
  /** Calls `found` for each position of `text` where a literal starts, in order, with the longest one there. */
  forEach(text: string, found: (at: number, literal: string) => void): void;
}

const BLOCK = 3;
const BASE = 0x01000193; // an odd multiplier mixes every character into the hash's low bits

function hashOf(text: string, from: number, length: number): number {
  let hash = 0;
  for (let i = from; i < from + length; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

export function literalFinder(literals: Iterable<string>): LiteralFinder {
  const unique = [...new Set(literals)].filter((l) => l.length > 0).sort((a, b) => b.length - a.length);
  if (!unique.length) return { forEach: () => {} };
  const width = unique[unique.length - 1].length;
  const block = Math.min(BLOCK, width);
  // A table of a few entries per block of the literals, at most 256 KiB: a process that remembers many secrets
  // (a test worker running hundreds of runs) builds one on every new list.
  const size = 1 << Math.min(18, Math.max(12, Math.ceil(Math.log2(unique.length * width * 2))));
  const slotOf = (hash: number) => (hash ^ (hash >>> 15)) & (size - 1);

  // How far the window may move on, by the hash of its last `block` characters.
  const jump = new Uint8Array(size).fill(Math.min(255, width - block + 1));
  // The literals by the hash of their first `width` characters, longest first.
  const byHead = new Map<number, string[]>();
  for (const literal of unique) {
    for (let end = block; end <= width; end++) {
      const slot = slotOf(hashOf(literal, end - block, block));
      jump[slot] = Math.min(jump[slot], width - end);
    }
    const head = slotOf(hashOf(literal, 0, width));
    const heads = byHead.get(head);
    if (heads) heads.push(literal);
    else byHead.set(head, [literal]);
  }

  return {
    forEach(text, found) {
      for (let end = width; end <= text.length; ) {
        const by = jump[slotOf(hashOf(text, end - block, block))];
        if (by > 0) {
          end += by;
          continue;
        }
        const at = end - width;
        const literal = byHead.get(slotOf(hashOf(text, at, width)))?.find((c) => text.startsWith(c, at));
        if (literal) found(at, literal);
        end++;
      }
    },
  };
}
