/** Assertions on problem documents (RFC 9457 as Warta writes them). */
import { expect } from 'vitest';

/** A response reduced to what problem assertions need. */
export interface Answer {
  status: number;
  headers: Record<string, string> | Headers;
  json: unknown;
}

/** A problem document as Warta sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: { field: string; reason: string }[];
}

const header = (h: Answer['headers'], name: string) => (h instanceof Headers ? h.get(name) : h[name.toLowerCase()]) ?? null;

/** Reads a fetch Response into an Answer. */
export async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json };
}

/**
 * Asserts a 4xx problem document of `type` (and `status`): the content type,
 * the body's status, the request id equal to X-Request-Id, and — when
 * `fields` is given — exactly these `errors[].field` values (as a set: a field may have several reasons).
 */
export function expectProblem(a: Answer, status: number, type: string, fields?: string[]): Problem {
  const context = JSON.stringify(a.json)?.slice(0, 400);
  expect(a.status, context).toBe(status);
  expect(header(a.headers, 'content-type')).toBe('application/problem+json');
  const p = a.json as Problem;
  expect(p.status).toBe(status);
  expect(p.type).toBe(`tag:warta,2026:problem:${type}`);
  expect(typeof p.title).toBe('string');
  expect(p.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(header(a.headers, 'x-request-id')).toBe(p.requestId);
  if (fields) expect([...new Set((p.errors ?? []).map((e) => e.field))].sort(), context).toEqual([...new Set(fields)].sort());
  return p;
}

/** Asserts any 4xx problem document (never a 5xx, never a bare body). */
export function expectClientProblem(a: Answer): Problem {
  const context = JSON.stringify(a.json)?.slice(0, 400);
  expect(a.status, context).toBeGreaterThanOrEqual(400);
  expect(a.status, context).toBeLessThan(500);
  expect(header(a.headers, 'content-type')).toBe('application/problem+json');
  const p = a.json as Problem;
  expect(p.status).toBe(a.status);
  expect(p.type).toMatch(/^tag:warta,2026:problem:[a-z-]+$/);
  expect(header(a.headers, 'x-request-id')).toBe(p.requestId);
  return p;
}
