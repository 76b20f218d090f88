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
  WORKERS_UNAVAILABLE: 503,
};

interface BodyParserError {
  type?: string;
  status?: number;
}

type ErrorAnswer = { status: number; body: { error: { code: string; message: string; details: unknown[] } } };

/** Over the 64 KB body limit: what Express's body reader and the webhook outside Express answer. */
export const TOO_LARGE: ErrorAnswer = { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'body is over 64 KB', details: [] } } };

/**
 * An AppError as its HTTP answer; anything else is a 500. A 5xx is logged. For Express routes
 * through errorMiddleware, and for the route served outside Express (fast-webhook.ts).
 */
export function errorAnswer(err: unknown, log: Logger, path: string): ErrorAnswer {
  if (err instanceof AppError && STATUS[err.code]) {
    const status = STATUS[err.code]!;
    if (status >= 500) log.error({ err, path }, 'request failed');
    return { status, body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  log.error({ err, path }, 'unexpected error');
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error', details: [] } } };
}

/** The one place that turns failures into HTTP answers: `{"error":{"code","message","details"}}`. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const parserError = err as BodyParserError;
    if (parserError?.type === 'entity.too.large') return void res.status(TOO_LARGE.status).json(TOO_LARGE.body);
    if (parserError?.type === 'entity.parse.failed') {
      return void res.status(400).json({ error: { code: 'INVALID_JSON', message: 'body is not valid JSON', details: [] } });
    }
    if (parserError?.type && parserError.status && parserError.status < 500) {
      return void res.status(parserError.status).json({ error: { code: 'BAD_REQUEST', message: parserError.type, details: [] } });
    }
    const answer = errorAnswer(err, log, req.path);
    res.status(answer.status).json(answer.body);
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}`, details: [] } });
};
