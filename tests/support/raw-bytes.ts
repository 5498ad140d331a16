/**
 * GET with the response bytes exactly as sent (no transparent
 * decompression, unlike fetch), for tests of content coding.
 */
import { request as httpRequest } from 'node:http';

/** A response off the wire: status, headers (lower-case names) and the raw body. */
export interface RawBytes {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** GETs `url` with `headers` on a fresh connection and reads the raw bytes. */
export function rawBytes(url: string, headers: Record<string, string> = {}): Promise<RawBytes> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
