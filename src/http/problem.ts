/**
 * RFC 9457 problem documents. Every error Warta answers is one of these,
 * raised as a ProblemError and turned into a response in app.onError.
 */

/** One invalid field: its path (e.g. `author.email`, `items[3].title`) and why. */
export interface FieldError {
  field: string;
  reason: string;
}

/** The problem types Warta uses, with their HTTP status and title. */
export const PROBLEMS = {
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  'bad-request': { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed for this key' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'validation-failed': { status: 422, title: 'Validation failed' },
  'unknown-reference': { status: 422, title: 'Unknown category or institution' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Store unavailable' },
  misconfigured: { status: 503, title: 'Service not configured' },
  starting: { status: 503, title: 'Starting' },
} as const;

/** A problem type name. */
export type ProblemType = keyof typeof PROBLEMS;

/** The URI of a problem type (stable, documented in the README). */
export const problemTypeUri = (type: ProblemType) => `tag:warta,2026:problem:${type}`;

/** An error that is answered as a problem document. */
export class ProblemError extends Error {
  readonly type: ProblemType;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  constructor(type: ProblemType, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(detail, { cause: options.cause });
    this.name = 'ProblemError';
    this.type = type;
    this.status = PROBLEMS[type].status;
    if (options.errors) this.errors = options.errors;
    if (options.headers) this.headers = options.headers;
  }
}

/** At most this many field errors are listed in one problem document (the detail keeps the full count). */
export const MAX_FIELD_ERRORS = 100;

/** The JSON body of a problem. */
export function problemBody(p: { type: ProblemType; detail: string; errors?: FieldError[] }, instance: string, requestId: string) {
  return {
    type: problemTypeUri(p.type),
    title: PROBLEMS[p.type].title,
    status: PROBLEMS[p.type].status,
    detail: p.detail,
    instance,
    requestId,
    ...(p.errors?.length ? { errors: p.errors.slice(0, MAX_FIELD_ERRORS) } : {}),
  };
}

/** Field errors from zod issues: `items[3].author.email` style paths. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = formatPath(issue.path, prefix);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const k of issue.keys) out.push({ field: base ? `${base}.${k}` : k, reason: 'is not a known field' });
    } else {
      out.push({ field: base || '(body)', reason: issue.message });
    }
  }
  return out;
}

function formatPath(path: readonly PropertyKey[], prefix: string): string {
  let s = prefix;
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s;
}
