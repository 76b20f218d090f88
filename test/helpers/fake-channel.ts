import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/channels/generic/signature.ts';

export interface ReceivedMessage {
  messageId: string;
  conversationId: string;
  buyerId: string;
  text: string;
  from: string;
  kind: string;
  inReplyTo?: string;
  /** When the fake channel took it (ms since epoch). */
  receivedAtMs: number;
}

/** The shop's send API, faked as a small local HTTP server that checks our signature. */
export class FakeChannel {
  readonly received: ReceivedMessage[] = [];
  readonly attempts: string[] = [];
  /** Answer this status to the next N requests (simulates a channel that is down). */
  failNext = 0;
  failStatus = 503;
  /** Take the next N messages but answer each only after `slowMs` (a channel that is slow, not down). */
  slowNext = 0;
  slowMs = 0;
  badSignatures = 0;
  private server: Server | undefined;

  constructor(private readonly secret: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        try {
          verifySignature(this.secret, req.headers, body);
        } catch {
          this.badSignatures += 1;
          res.writeHead(401).end();
          return;
        }
        const message = JSON.parse(body.toString('utf8')) as ReceivedMessage;
        this.attempts.push(message.messageId);
        if (this.failNext > 0) {
          this.failNext -= 1;
          res.writeHead(this.failStatus).end();
          return;
        }
        this.received.push({ ...message, receivedAtMs: Date.now() });
        const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        if (this.slowNext > 0) {
          this.slowNext -= 1;
          setTimeout(answer, this.slowMs);
        } else answer();
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/send`;
  }

  to(conversationId: string): ReceivedMessage[] {
    return this.received.filter((m) => m.conversationId === conversationId);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }
}
