/**
 * Cursors are tamper-evident in every character: one changed character of
 * the MAC, a different purpose, another secret or a non-canonical spelling
 * of the same MAC bytes are all refused.
 */
import { describe, expect, it } from 'vitest';
import { signCursor, verifyCursor } from '../src/http/cursor.js';
import { forgeCursor } from './support/cursors.js';

const SECRET = 'cursor-test-secret-0123456789abcdef';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('signed cursors', () => {
  it('verify for their own purpose and secret only', async () => {
    const cursor = await signCursor(SECRET, 'feed:all', { t: '2024-01-01T00:00:00+07:00', id: 'a1' });
    expect(await verifyCursor(SECRET, 'feed:all', cursor)).toEqual({ t: '2024-01-01T00:00:00+07:00', id: 'a1' });
    expect(await verifyCursor(SECRET, 'feed:cat:binmas', cursor)).toBeNull();
    expect(await verifyCursor(`${SECRET}x`, 'feed:all', cursor)).toBeNull();
    expect(await verifyCursor(SECRET, 'feed:all', forgeCursor(cursor))).toBeNull();
  });

  it('refuse every other spelling of the last MAC character, even those that decode to the same bytes', async () => {
    for (let n = 0; n < 20; n++) {
      const cursor = await signCursor(SECRET, 'changes:all', { seq: n });
      const stem = cursor.slice(0, -1);
      const accepted: string[] = [];
      for (const ch of ALPHABET) if (await verifyCursor(SECRET, 'changes:all', stem + ch)) accepted.push(ch);
      expect(accepted).toEqual([cursor.slice(-1)]);
    }
  });

  it('refuse every single-character change of the MAC', async () => {
    const cursor = await signCursor(SECRET, 'changes:all', { seq: 7 });
    const dot = cursor.indexOf('.');
    for (let i = dot + 1; i < cursor.length; i++) {
      const other = cursor[i] === 'A' ? 'B' : 'A';
      expect(await verifyCursor(SECRET, 'changes:all', cursor.slice(0, i) + other + cursor.slice(i + 1))).toBeNull();
    }
  });
});
