import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TelegramSent {
  chatId: string;
  text: string;
  atMs: number;
}

/**
 * The Bot API's sendMessage (core.telegram.org/bots/api#sendmessage), faked as a local HTTP server:
 * the token in the path, JSON in, `{ok, result}` or `{ok: false, error_code, description,
 * parameters}` out, with the errors Telegram gives for a flood, a blocked bot and a bad token.
 */
export class FakeTelegram {
  readonly sent: TelegramSent[] = [];
  /** Every sendMessage call, sent or not: chat ids. */
  readonly calls: string[] = [];
  /** The next N calls are answered 429 with this retry_after (seconds). */
  floodNext = 0;
  retryAfterSeconds = 1;
  /** The next N calls are answered 502 (Telegram's servers down behind their proxy). */
  downNext = 0;
  /** Chats whose buyer blocked the bot: 403. */
  readonly blocked = new Set<string>();
  private server: Server | undefined;
  private messageId = 0;

  constructor(readonly token: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const error = (code: number, description: string, parameters?: object) =>
          answer(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
        if (req.method !== 'POST' || req.url !== `/bot${this.token}/sendMessage`)
          return req.url?.endsWith('/sendMessage') ? error(401, 'Unauthorized') : error(404, 'Not Found');
        let body: { chat_id?: unknown; text?: unknown };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          return error(400, "Bad Request: can't parse JSON");
        }
        const chatId = String(body.chat_id ?? '');
        this.calls.push(chatId);
        if (this.downNext > 0) {
          this.downNext -= 1;
          return res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
        }
        if (this.floodNext > 0) {
          this.floodNext -= 1;
          return error(429, `Too Many Requests: retry after ${this.retryAfterSeconds}`, {
            retry_after: this.retryAfterSeconds,
          });
        }
        if (!/^-?\d+$/.test(chatId)) return error(400, 'Bad Request: chat not found');
        if (typeof body.text !== 'string' || body.text.length === 0 || body.text.length > 4096)
          return error(400, 'Bad Request: message text is empty');
        if (this.blocked.has(chatId)) return error(403, 'Forbidden: bot was blocked by the user');
        this.sent.push({ chatId, text: body.text, atMs: Date.now() });
        this.messageId += 1;
        return answer(200, {
          ok: true,
          result: { message_id: this.messageId, chat: { id: Number(chatId) }, text: body.text },
        });
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  to(chatId: number | string): TelegramSent[] {
    return this.sent.filter((m) => m.chatId === String(chatId));
  }

  async stop(): Promise<void> {
    const server = this.server;
    server?.closeAllConnections();
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }
}
