// How a problem names a list of names (models, ids): the first few and a count, since a hostile tenant's list
// can hold tens of thousands; a name that is not a string (a list of wrong items) as "(no name)".

export const MAX_NAMES_LISTED = 10;

/** `"a", "b", … and 3 more` with `quoted`, else `a, b, … and 3 more`. */
export function namesInWords(names: readonly unknown[], quoted = false): string {
  const shown = names.slice(0, MAX_NAMES_LISTED).map((n) => (typeof n === 'string' && n !== '' ? (quoted ? `"${n}"` : n) : '(no name)'));
  return names.length > MAX_NAMES_LISTED ? `${shown.join(', ')}, … and ${names.length - MAX_NAMES_LISTED} more` : shown.join(', ');
}
