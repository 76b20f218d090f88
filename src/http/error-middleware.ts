import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

const STATUS: Record<string, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  CHANNEL_SIGNATURE_INVALID: 401,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  HANDOFF_CONFLICT: 409,
  BUSY: 409,
  AGENT_OFFLINE: 409,
  WINDOW_CLOSED: 409,
  BUDGET_SPENT: 409,
  HELD_BY_SERVICER: 409,
  NO_INVOICE_REQUEST: 409,
  RATE_LIMITED: 429,
  WEB_CHAT_BUSY: 429,
  OUTBOUND_GUARD: 422,
  QUEUE_UNAVAILABLE: 503,
  REDIS_UNAVAILABLE: 503,
  WORKERS_UNAVAILABLE: 503,
};

type ErrorAnswer = { status: number; body: { error: { code: string; message: string; details: unknown[] } } };

const answer = (status: number, code: string, message: string): ErrorAnswer => ({
  status,
  body: { error: { code, message, details: [] } },
});

/** Over the 64 KB body limit: what Express's body reader and the webhook outside Express answer. */
export const TOO_LARGE: ErrorAnswer = answer(413, 'PAYLOAD_TOO_LARGE', 'body is over 64 KB');

/** body-parser's and raw-body's error types (http-errors with a 4xx status), as our answers. */
const BODY_ERRORS: Record<string, ErrorAnswer> = {
  'entity.too.large': TOO_LARGE,
  'entity.parse.failed': answer(400, 'INVALID_JSON', 'body is not valid JSON'),
  'encoding.unsupported': answer(
    415,
    'UNSUPPORTED_ENCODING',
    'unsupported Content-Encoding: send the body plain, or as gzip, deflate or br',
  ),
  'charset.unsupported': answer(415, 'UNSUPPORTED_CHARSET', 'unsupported charset: send UTF-8'),
  'request.aborted': answer(400, 'REQUEST_ABORTED', 'the request was aborted before its body was read'),
  'request.size.invalid': answer(400, 'BAD_REQUEST', 'the body is not as long as Content-Length says'),
};
const BAD_ENCODING = answer(
  400,
  'BODY_NOT_DECODABLE',
  'the body does not decode as its Content-Encoding says',
);
const BAD_PATH = answer(400, 'BAD_PATH', 'the path is not valid percent-encoded UTF-8');
const CODE_OF_STATUS: Record<number, string> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

interface HttpLikeError {
  status?: unknown;
  type?: unknown;
  errno?: unknown;
}

/**
 * A client's mistake that Express, router or body-parser raise as a plain error carrying a 4xx
 * `status` (http-errors) rather than an AppError: a body that does not decompress (zlib's error,
 * re-raised with status 400 and no `type`), a path whose percent-encoding is not UTF-8 (router's
 * URIError, status 400 set or not), an unknown Content-Encoding or charset.
 */
function clientError(err: unknown): ErrorAnswer | undefined {
  if (err instanceof URIError) return BAD_PATH;
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, type, errno } = err as HttpLikeError;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (typeof type === 'string' && BODY_ERRORS[type]) return BODY_ERRORS[type];
  if (typeof errno === 'number') return BAD_ENCODING;
  return answer(status, CODE_OF_STATUS[status] ?? 'BAD_REQUEST', 'bad request');
}

/**
 * An error as its HTTP answer: an AppError by its code, a client's mistake raised by Express or
 * body-parser as a 4xx, anything else a 500. A 5xx is logged as an error; a client's mistake only
 * at info, without a stack (anyone can send one). For Express routes through errorMiddleware, and
 * for the route served outside Express (fast-webhook.ts).
 */
export function errorAnswer(err: unknown, log: Logger, path: string): ErrorAnswer {
  if (err instanceof AppError && STATUS[err.code]) {
    const status = STATUS[err.code]!;
    if (status >= 500) log.error({ err, path }, 'request failed');
    return { status, body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  const refused = clientError(err);
  if (refused) {
    log.info(
      { path, status: refused.status, code: refused.body.error.code, reason: (err as Error).message },
      'bad request refused',
    );
    return refused;
  }
  log.error({ err, path }, 'unexpected error');
  return answer(500, 'INTERNAL', 'internal error');
}

/** The one place that turns failures into HTTP answers: `{"error":{"code","message","details"}}`. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    // Half an answer is out (a page being streamed): Express's own handler closes the connection.
    if (res.headersSent) return next(err);
    const { status, body } = errorAnswer(err, log, req.path);
    res.status(status).json(body);
  };
}

export const notFound: RequestHandler = (req, res) => {
  res
    .status(404)
    .json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}`, details: [] } });
};

/**
 * node:http's 'clientError': a request it cannot parse (a byte not allowed in a path, headers over
 * 16 KB, one that took too long) never reaches Express. Node would answer a bare 400 with no body;
 * this answers the same statuses with the usual error body, then closes the connection.
 */
export function answerUnparsableRequest(
  err: NodeJS.ErrnoException & { rawPacket?: Buffer },
  socket: Duplex,
): void {
  // An answer to an earlier request on this connection may be half written (node:http's own
  // handler checks the same): bytes of ours would land inside it, so the connection just closes.
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) return void socket.destroy();
  const { status, body } =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? answer(431, 'HEADERS_TOO_LARGE', 'the request headers are over 16 KB')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? answer(408, 'REQUEST_TIMEOUT', 'the request took too long to arrive')
        : answer(400, 'BAD_REQUEST', 'the request is not valid HTTP/1.1');
  // An answer to HEAD has no body: a client would read one as garbage after the answer.
  const json = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ' ? '' : JSON.stringify(body);
  const headers = {
    connection: 'close',
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...SECURITY_HEADERS,
  };
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n${json}`,
  );
}
