import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

const STATUS: Record<string, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  CHANNEL_SIGNATURE_INVALID: 401,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  HANDOFF_CONFLICT: 409,
  RATE_LIMITED: 429,
  OUTBOUND_GUARD: 422,
  QUEUE_UNAVAILABLE: 503,
  REDIS_UNAVAILABLE: 503,
};

interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * An AppError as an HTTP answer, for the route served outside Express (fast-webhook.ts); anything
 * else is a 500. Express routes get the same through errorMiddleware.
 */
export function errorAnswer(err: unknown): { status: number; body: { error: { code: string; message: string; details: unknown[] } } } {
  if (err instanceof AppError && STATUS[err.code]) return { status: STATUS[err.code]!, body: { error: { code: err.code, message: err.message, details: err.details } } };
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error', details: [] } } };
}

/** The one place that turns failures into HTTP answers: `{"error":{"code","message","details"}}`. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const parserError = err as BodyParserError;
    if (parserError?.type === 'entity.too.large') {
      return void res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'body is over 64 KB', details: [] } });
    }
    if (parserError?.type === 'entity.parse.failed') {
      return void res.status(400).json({ error: { code: 'INVALID_JSON', message: 'body is not valid JSON', details: [] } });
    }
    if (parserError?.type && parserError.status && parserError.status < 500) {
      return void res.status(parserError.status).json({ error: { code: 'BAD_REQUEST', message: parserError.type, details: [] } });
    }
    if (err instanceof AppError && STATUS[err.code]) {
      const status = STATUS[err.code]!;
      if (status >= 500) log.error({ err, path: req.path }, 'request failed');
      return void res.status(status).json({ error: { code: err.code, message: err.message, details: err.details } });
    }
    log.error({ err, path: req.path }, 'unexpected error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error', details: [] } });
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}`, details: [] } });
};
