/**
 * The one logger: every log line Warta writes is one JSON object on one line, with
 * `level` and `msg` first, then the caller's fields (a `requestId` when there is a
 * request). It writes through `console` (`error` → console.error, `warn` →
 * console.warn, `info`/`debug` → console.log), which is stdout/stderr on Node and the
 * log stream on Workers, so the same module serves both runtimes.
 *
 * Secrets never reach a line: a field whose name says it holds a secret (token,
 * authorization, cookie, secret, password, AWS keys, the cursor secret) is written as
 * "[redacted]", at any depth; in every string, bearer credentials, Warta key tokens
 * (`wk_…`) and AWS access key ids are replaced too, so an error message quoting a
 * header does not leak it either.
 *
 * Which lines are written: access lines obey WARTA_LOG_LEVEL (http/access-log.ts);
 * the lines here are start-up facts and problems, always written (README,
 * "WARTA_LOG_LEVEL"), unless a logger is made with a stricter `level`.
 */
import type { LogLevel } from './config.js';

/** What a field whose name matches this holds is never logged. */
const SECRET_FIELD = /token|authorization|cookie|secret|password|passwd|credential|api[-_]?key|access[-_]?key|session[-_]?id/i;
/** Credentials found inside strings: bearer/basic values, Warta key tokens, AWS access key ids. */
const SECRET_IN_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+|\bwk_[0-9a-z]{26}_[A-Za-z0-9_-]{43}\b|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;
/** What a secret is written as. */
export const REDACTED = '[redacted]';
const MAX_DEPTH = 6;
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Fields of a log line (JSON values; an Error is written as its message). */
export type LogFields = Record<string, unknown>;

/** A logger: one method per level, and `with` for fields every line carries (e.g. the request id). */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

function redactText(s: string): string {
  return s.replace(SECRET_IN_TEXT, (m, scheme: string | undefined) => (scheme ? `${scheme} ${REDACTED}` : REDACTED));
}

function redact(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return redactText(value.message);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

/** The JSON line of one log event, secrets redacted: `{"level":…,"msg":…,…fields}`. */
export function logLine(level: LogLevel, msg: string, fields: LogFields = {}): string {
  const body = redact(fields, 0) as Record<string, unknown>;
  return JSON.stringify({ level, msg: redactText(msg), ...body });
}

/** The message of a thrown value, for a log field (`String(err)` when it is not an Error). */
export const errorText = (err: unknown): string => String((err as Error)?.message ?? err);

/** A logger writing lines at `level` and above, each with `base` fields. */
export function createLogger(options: { level?: LogLevel; base?: LogFields } = {}): Logger {
  const min = RANK[options.level ?? 'debug'];
  const base = options.base ?? {};
  const write = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (RANK[level] < min) return;
    const line = logLine(level, msg, { ...base, ...fields });
    // console is looked up at each call: tests and runtimes may replace its methods.
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    with: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

/** The process logger: every level written (see the header for why). */
export const log: Logger = createLogger();
