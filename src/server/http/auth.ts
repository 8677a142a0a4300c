/**
 * Credentials. Write keys (collection API) come as the HTTP Basic user with an empty password, as Segment's
 * libraries send them, or as `writeKey` in the JSON body. The admin token (read API) is separate and comes as
 * `Authorization: Bearer TOKEN`. Keys are compared through their SHA-256 so the comparison leaks no timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export class WriteKeys {
  private readonly digests: Set<string>;

  constructor(keys: readonly string[]) {
    this.digests = new Set(keys.map((key) => digest(key).toString('hex')));
  }

  /** The write key of a request's Basic header, `undefined` when there is no header; 401 when the header is malformed. */
  fromHeader(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization;
    if (header === undefined) return undefined;
    const m = /^Basic\s+([A-Za-z0-9+/=_-]*)$/i.exec(header.trim());
    if (!m) throw unauthorized('Authorization header must be "Basic base64(writeKey:)"');
    const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? decoded : decoded.slice(0, colon);
  }

  /** Throws 401 unless `key` is one of the configured write keys. */
  check(key: unknown): string {
    if (typeof key !== 'string' || key.length === 0) {
      throw unauthorized('write key is required: send it as the HTTP Basic user (empty password) or as "writeKey" in the body');
    }
    if (!this.digests.has(digest(key).toString('hex'))) throw unauthorized('write key is not valid');
    return key;
  }
}

/** Why a request is refused (the 401's message) and the `WWW-Authenticate` challenge to answer with. */
export interface Refusal {
  readonly message: string;
  readonly challenge: string;
}

const ADMIN_CHALLENGE = 'Bearer realm="segmenta-admin"';

/**
 * Null when the request carries `Authorization: Bearer <token>`, else why not. `segmenta dashboard --admin-token`
 * checks with this too (handed in by the CLI), so both servers refuse alike.
 */
export function adminRefusal(req: IncomingMessage, token: string): Refusal | null {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return { message: 'admin token is required: send "Authorization: Bearer <token>"', challenge: ADMIN_CHALLENGE };
  if (!timingSafeEqual(digest(m[1] ?? ''), digest(token))) return { message: 'admin token is not valid', challenge: ADMIN_CHALLENGE };
  return null;
}

/** Throws 401 unless the request carries `Authorization: Bearer <token>`. */
export function checkAdmin(req: IncomingMessage, token: string): void {
  const refusal = adminRefusal(req, token);
  if (refusal) throw unauthorized(refusal.message, refusal.challenge);
}

function unauthorized(message: string, challenge = 'Basic realm="segmenta"'): HttpError {
  return new HttpError(401, 'unauthorized', message, [], { 'WWW-Authenticate': challenge });
}

/**
 * Per-key token bucket on events: `eventsPerSecond` refill, `burst` capacity. `take` returns 0 when allowed, else
 * the seconds to wait (for `Retry-After`). Cost: O(1) per call, one entry per key.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly eventsPerSecond: number, private readonly burst: number) {}

  take(key: string, events: number, now = performance.now()): number {
    if (this.eventsPerSecond <= 0) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.eventsPerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    const cost = Math.min(events, this.burst);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - bucket.tokens) / this.eventsPerSecond));
  }
}
