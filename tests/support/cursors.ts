/**
 * A cursor with one byte of its MAC changed: the first MAC character (always
 * significant, unlike the last of a 22-character base64url, whose low 4 bits
 * carry no data) is replaced by a different one.
 */
export function forgeCursor(cursor: string): string {
  const dot = cursor.lastIndexOf('.');
  const ch = cursor[dot + 1];
  return `${cursor.slice(0, dot + 1)}${ch === 'A' ? 'B' : 'A'}${cursor.slice(dot + 2)}`;
}
