import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../shared/errors.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Timing-safe: both sides are hashed to equal length before the compare. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearer(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** Lets through a request bearing `expected`; any other is refused 401 with `refusal`. */
export function requireBearer(expected: string, refusal: string): RequestHandler {
  return (req, _res, next) => {
    const token = bearer(req.headers.authorization);
    if (!token || !tokenMatches(token, expected)) throw new UnauthorizedError(refusal);
    next();
  };
}

export function requireAdmin(adminToken: string): RequestHandler {
  return requireBearer(adminToken, 'admin bearer token required');
}
