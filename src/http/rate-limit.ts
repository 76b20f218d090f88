import type { RequestHandler } from 'express';
import { AppError } from '../shared/errors.ts';

/**
 * Requests per source IP in a fixed one-minute window, kept in this process's memory: a cheap
 * brake on one noisy source (a shop-wide limit that must hold across instances lives in Redis,
 * e.g. the web chat's new conversations). Counted by the connection's address (Express's 'trust proxy' is not
 * set, and the message webhook, served outside Express, reads the socket's): behind a proxy every
 * request shares the proxy's address, so raise IP_RATE_PER_MINUTE there.
 */
export function rateLimit(options: { bucket: string; perMinute: number }): RequestHandler {
  return requestLimiter(options).middleware;
}

/** One limiter, as Express middleware and as a plain check for a route served outside Express. */
export function requestLimiter(options: { bucket: string; perMinute: number }): {
  middleware: RequestHandler;
  check(ip: string): RateLimitedError | undefined;
} {
  let window = 0;
  let counts = new Map<string, number>();
  const check = (ip: string) => {
    const now = Math.floor(Date.now() / 60_000);
    if (now !== window) {
      window = now;
      counts = new Map();
    }
    const count = (counts.get(ip) ?? 0) + 1;
    counts.set(ip, count);
    if (count <= options.perMinute) return undefined;
    return new RateLimitedError(
      `too many requests from this address to ${options.bucket}; try again shortly`,
      60 - Math.floor((Date.now() / 1000) % 60),
    );
  };
  return {
    check,
    middleware: (req, res, next) => {
      const limited = check(req.ip ?? 'unknown');
      if (limited) {
        res.setHeader('retry-after', String(limited.retryAfterSeconds));
        throw limited;
      }
      next();
    },
  };
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The shop-wide number of new web chat conversations this minute is reached (WEB_CHAT_NEW_PER_MINUTE). */
export class ChatBusyError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('WEB_CHAT_BUSY', 'the web chat is taking no new conversations this minute; try again shortly');
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
