import type { RequestHandler } from 'express';
import { AppError } from '../shared/errors.ts';

/**
 * Requests per source IP in a fixed one-minute window, kept in this process's memory: a cheap
 * brake on one noisy source. Behind a proxy set `app.set('trust proxy', …)` so req.ip is the buyer's.
 */
export function rateLimit(options: { bucket: string; perMinute: number }): RequestHandler {
  let window = 0;
  let counts = new Map<string, number>();
  return (req, res, next) => {
    const now = Math.floor(Date.now() / 60_000);
    if (now !== window) {
      window = now;
      counts = new Map();
    }
    const ip = req.ip ?? 'unknown';
    const count = (counts.get(ip) ?? 0) + 1;
    counts.set(ip, count);
    if (count > options.perMinute) {
      res.setHeader('retry-after', String(60 - Math.floor((Date.now() / 1000) % 60)));
      throw new AppError('RATE_LIMITED', `too many requests from this address to ${options.bucket}; try again shortly`);
    }
    next();
  };
}
