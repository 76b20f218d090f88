import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WhatsAppSent {
  phoneNumberId: string;
  to: string;
  type: string;
  text?: string;
  template?: { name: string; language: { code: string }; components: unknown[] };
  atMs: number;
}

/**
 * The Cloud API's send endpoint (POST /<version>/<phone number id>/messages), faked as a local
 * HTTP server: the bearer token checked, `{messages: [{id}]}` out, or Graph API errors
 * (`{error: {message, type, code}}`) for a rate limit, a bad token, a number not on WhatsApp and
 * Meta being down. It also keeps each buyer's 24-hour window, as Meta does (131047 outside it).
 */
export class FakeWhatsApp {
  readonly sent: WhatsAppSent[] = [];
  /** Calls refused for their token (190). */
  tokenRefusals = 0;
  /** Every call: the recipient. */
  readonly calls: string[] = [];
  /** The next N calls are answered 500 (Meta down). */
  downNext = 0;
  /** The next N calls are answered with this rate-limit code (130429: throughput, 131056: pair rate). */
  limitNext = 0;
  limitCode = 130429;
  /** Numbers that are not on WhatsApp: 131026. */
  readonly undeliverable = new Set<string>();
  /** When each buyer last wrote (ms), as the test posts them: free text only within 24 h of it. */
  readonly lastInbound = new Map<string, number>();
  private server: Server | undefined;
  private next = 0;

  constructor(
    /** Replace it to play a token Meta no longer accepts (190). */
    public accessToken: string,
    readonly appSecret: string,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const error = (status: number, code: number, message: string) =>
          answer(status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'Afake' } });
        const path = /^\/v23\.0\/(\d+)\/messages$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !path) return error(400, 100, 'Unsupported post request');
        if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
          this.tokenRefusals += 1;
          return error(401, 190, 'Error validating access token: Session has expired');
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<WhatsAppSent, 'atMs'> & {
          messaging_product?: string;
          text?: { body?: string };
        };
        this.calls.push(body.to);
        if (this.downNext > 0) {
          this.downNext -= 1;
          return error(500, 131000, 'Something went wrong');
        }
        if (this.limitNext > 0) {
          this.limitNext -= 1;
          return error(400, this.limitCode, 'Rate limit hit');
        }
        if (body.messaging_product !== 'whatsapp') return error(400, 100, 'Invalid parameter');
        if (this.undeliverable.has(body.to)) return error(400, 131026, 'Message undeliverable');
        const last = this.lastInbound.get(body.to);
        if (body.type === 'text' && (last === undefined || Date.now() - last > 24 * 3600_000))
          return error(400, 131047, 'Re-engagement message');
        if (body.type === 'text' && !body.text?.body) return error(400, 100, 'Invalid parameter');
        this.sent.push({
          phoneNumberId: path[1]!,
          to: body.to,
          type: body.type,
          ...(body.text?.body ? { text: body.text.body } : {}),
          ...(body.template ? { template: body.template } : {}),
          atMs: Date.now(),
        });
        this.next += 1;
        return answer(200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: `wamid.fake${this.next}` }],
        });
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v23.0`;
  }

  to(number: string): WhatsAppSent[] {
    return this.sent.filter((m) => m.to === number);
  }

  /** The `X-Hub-Signature-256` Meta puts on a webhook post. */
  sign(raw: string, secret = this.appSecret): string {
    return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    server?.closeAllConnections();
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }
}
