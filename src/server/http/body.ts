/**
 * Reads a request body with a size limit and a time limit, un-gzipping it when `Content-Encoding` says so
 * (RudderStack's clients gzip by default). The limit applies to the decoded bytes, so a small gzip bomb is caught
 * as early as a large plain body. A body over the limit is still drained (up to `drainCap` bytes) so the client
 * reads our 400 instead of a reset connection; a body that is larger still, or too slow, ends the connection.
 */
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { HttpError, limitError } from './errors.js';

export interface BodyLimits {
  /** Decoded bytes allowed. */
  readonly maxBytes: number;
  /** What the limit is called in the error (`batch`, `event`). */
  readonly subject: string;
  /** Code of the 400 raised when the body is over the limit. */
  readonly code: string;
  /** Milliseconds allowed from the first header to the last body byte before a 408. */
  readonly timeoutMs: number;
}

/** Raw bytes we read and discard from a body already over its limit before giving up on the connection. */
const DRAIN_FACTOR = 8;

/** Thrown errors carry `closeConnection` when the rest of the request was not read. */
export class BodyError extends HttpError {
  closeConnection = false;
}

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let raw = 0;
    let decoded = 0;
    let over = false;
    let settled = false;
    let decoder: Gunzip | Inflate | undefined;
    const timer = setTimeout(() => {
      fail(Object.assign(toBodyError(new HttpError(408, 'request_timeout', `request body not received within ${limits.timeoutMs} ms`)), { closeConnection: true }));
    }, limits.timeoutMs);
    timer.unref();
    const declared = Number(req.headers['content-length'] ?? NaN);
    const drainCap = limits.maxBytes * DRAIN_FACTOR;
    const tooLarge = (bytes: number): BodyError =>
      toBodyError(limitError(limits.code, `${limits.subject} is ${describeBytes(bytes)}; the limit is ${describeBytes(limits.maxBytes)}`));
    if (Number.isFinite(declared) && declared > drainCap) {
      fail(Object.assign(tooLarge(declared), { closeConnection: true }));
      return;
    }
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
    else if (encoding === 'deflate') decoder = createInflate();
    else if (encoding !== 'identity' && encoding !== '') {
      fail(toBodyError(new HttpError(415, 'unsupported_encoding', `Content-Encoding must be gzip, deflate or identity (got ${JSON.stringify(encoding)})`)));
      return;
    }

    function fail(error: BodyError): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      decoder?.destroy();
      if (error.closeConnection) req.pause();
      reject(error);
    }
    function done(): void {
      if (settled) return;
      if (over) {
        fail(tooLarge(decoded));
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, decoded));
    }
    function onDecoded(chunk: Buffer): void {
      decoded += chunk.length;
      if (decoded > limits.maxBytes) {
        over = true;
        chunks.length = 0;
      }
      if (!over) chunks.push(chunk);
    }

    req.on('data', (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > drainCap) {
        fail(Object.assign(tooLarge(raw), { closeConnection: true }));
        return;
      }
      if (settled) return;
      if (decoder) {
        if (!over) decoder.write(chunk);
      } else onDecoded(chunk);
    });
    req.on('error', () => fail(Object.assign(toBodyError(new HttpError(400, 'bad_request', 'request body could not be read')), { closeConnection: true })));
    req.on('aborted', () => fail(Object.assign(toBodyError(new HttpError(400, 'bad_request', 'request aborted by the client')), { closeConnection: true })));
    if (decoder) {
      decoder.on('data', (chunk: Buffer) => {
        onDecoded(chunk);
        if (over) decoder?.destroy();
      });
      decoder.on('error', (error: Error) => {
        fail(toBodyError(new HttpError(400, 'bad_encoding', `request body is not valid ${encoding} data (${error.message})`)));
      });
      decoder.on('end', done);
      req.on('end', () => {
        if (over) done();
        else decoder?.end();
      });
    } else {
      req.on('end', done);
    }
  });
}

function toBodyError(error: HttpError): BodyError {
  return new BodyError(error.status, error.code, error.message, error.issues, error.headers);
}

/** `612,345 bytes` or `500 KB (512,000 bytes)`. */
export function describeBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KB (${exact})` : exact;
}
