import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ChannelSendError } from '../shared/errors.ts';

/** A platform's answer: its status, its JSON body (undefined when it sent none or not JSON) and headers. */
export interface JsonAnswer {
  status: number;
  json: unknown;
  headers: IncomingMessage['headers'];
}

/** Platforms' answers to a send are small; anything longer is read no further. */
const MAX_ANSWER_BYTES = 256 * 1024;

/** POSTs `body` as JSON to `path` under the base; with `body` undefined, GETs `path`. */
export type PostJson = (
  path: string,
  body: unknown,
  options: { timeoutMs: number; headers?: Record<string, string> },
) => Promise<JsonAnswer>;

/**
 * POSTs JSON to a platform's API under `base` and reads its JSON answer, over one keep-alive
 * agent. A request that gets no answer (refused, reset, timed out) throws ChannelSendError; its
 * message names the platform, never the URL (some carry the bot's token in the path).
 */
export function createJsonPoster(base: string, platform: string): PostJson {
  const root = new URL(base.endsWith('/') ? base : `${base}/`);
  const secure = root.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  return async (path, body, options) => {
    // Joined as text: a path such as `bot123:ABC/sendMessage` would read as a URL scheme.
    const url = new URL(`${root.href}${path.replace(/^\//, '')}`);
    const payload = body === undefined ? '' : JSON.stringify(body);
    try {
      return await new Promise<JsonAnswer>((done, fail) => {
        const req = request(
          url,
          {
            method: body === undefined ? 'GET' : 'POST',
            agent,
            timeout: options.timeoutMs,
            headers: {
              ...(body === undefined
                ? {}
                : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
              ...options.headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
            });
            res.on('error', fail);
            res.on('end', () =>
              done({
                status: res.statusCode ?? 0,
                json: parseJson(Buffer.concat(chunks)),
                headers: res.headers,
              }),
            );
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
        req.on('error', fail);
        req.end(payload);
      });
    } catch (err) {
      throw new ChannelSendError(`${platform} unreachable: ${(err as Error).message}`);
    }
  };
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined; // a proxy's HTML error page: the status says what happened
  }
}
