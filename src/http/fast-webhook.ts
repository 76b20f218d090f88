import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.ts';
import { errorAnswer, TOO_LARGE } from './error-middleware.ts';
import type { RateLimitedError } from './rate-limit.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
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
 * take as it comes (another method or path, a compressed body: Express inflates it, and answers one
 * that does not inflate 400) goes on to Express. Returns whether it took the request.
 */
export function fastMessageWebhook(
  deps: FastWebhookDeps,
): (req: IncomingMessage, res: ServerResponse) => boolean {
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
    // Node reads and drops the rest of the body once the answer is out: the connection stays usable.
    res.setHeader('retry-after', String(limited.retryAfterSeconds));
    const answer = errorAnswer(limited, deps.log, PATH);
    return send(res, answer.status, answer.body);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Too large: the rest is read and dropped, then 413, as Express's body reader does (the server's
  // 15 s request timeout bounds a slow one). Answering before would close a socket still being written to.
  let tooLarge = Number(req.headers['content-length'] ?? 0) > BODY_LIMIT_BYTES;
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('error', () => undefined); // the client went away: nothing was accepted, nothing to answer
  req.on('end', () => {
    if (tooLarge) return send(res, TOO_LARGE.status, TOO_LARGE.body);
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    acceptSignedMessage(deps, req.headers, body).then(
      (accepted) => send(res, 202, accepted),
      (err: unknown) => {
        const answer = errorAnswer(err, deps.log, PATH);
        send(res, answer.status, answer.body);
      },
    );
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...SECURITY_HEADERS,
  });
  res.end(json);
}
