import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.ts';
import { errorAnswer } from './error-middleware.ts';
import type { RateLimitedError } from './rate-limit.ts';
import { acceptSignedMessage, BODY_LIMIT_BYTES, type MessageWebhookDeps } from './webhook-routes.ts';

const PATH = '/v1/channels/generic/messages';

export interface FastWebhookDeps extends MessageWebhookDeps {
  /** The same per-address limit the rest of /v1 counts against. */
  limit(ip: string): RateLimitedError | undefined;
  log: Logger;
}

/**
 * The channel's message webhook straight from node:http: by far the busiest route, and Express's
 * routing, body reading and response helpers were about a quarter of its CPU. It answers as the
 * Express route does (webhook-routes.ts, the same checks in the same order); a request it does not
 * take as it comes (another method or path, a compressed body) goes on to Express. Returns whether
 * it took the request.
 */
export function fastMessageWebhook(deps: FastWebhookDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if ((query < 0 ? url : url.slice(0, query)) !== PATH) return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') return false;
    handle(deps, req, res);
    return true;
  };
}

function handle(deps: FastWebhookDeps, req: IncomingMessage, res: ServerResponse): void {
  const limited = deps.limit(req.socket.remoteAddress ?? 'unknown');
  if (limited) {
    res.setHeader('retry-after', String(limited.retryAfterSeconds));
    return refuse(req, res, errorAnswer(limited));
  }
  if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT_BYTES) return refuse(req, res, TOO_LARGE);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) {
      over = true;
      return refuse(req, res, TOO_LARGE);
    }
    chunks.push(chunk);
  });
  req.on('error', () => undefined); // the client went away: nothing was accepted, nothing to answer
  req.on('end', () => {
    if (over) return;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    acceptSignedMessage(deps, req.headers, body).then(
      (accepted) => send(res, 202, accepted),
      (err: unknown) => {
        const answer = errorAnswer(err);
        if (answer.status >= 500) deps.log.error({ err, path: PATH }, answer.body.error.code === 'INTERNAL' ? 'unexpected error' : 'request failed');
        send(res, answer.status, answer.body);
      },
    );
  });
}

const TOO_LARGE = { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'body is over 64 KB', details: [] } } };

/** Answers before the body is read, and closes the connection after: the rest of the body is not read. */
function refuse(req: IncomingMessage, res: ServerResponse, answer: { status: number; body: unknown }): void {
  res.setHeader('connection', 'close');
  send(res, answer.status, answer.body);
  req.resume();
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
