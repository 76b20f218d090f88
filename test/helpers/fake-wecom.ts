import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWeComCrypto } from '../../src/channels/wecom/wecom-crypto.ts';

export interface WeComSent {
  touser: string;
  open_kfid: string;
  msgid: string;
  text: string;
  atMs: number;
}

/**
 * WeCom's server API for customer service, faked as a local HTTP server (qyapi.weixin.qq.com's
 * documented endpoints): gettoken, kf/sync_msg with a cursor per account, kf/send_msg refusing a
 * msgid it has seen. Answers are HTTP 200 with an errcode, as WeCom's are. It also writes the
 * signed, encrypted callbacks WeCom posts.
 */
export class FakeWeCom {
  readonly sent: WeComSent[] = [];
  /** Refuse every kf/service_state/trans (the account has no servicers on duty, say). */
  refuseTransfers = false;
  /** kf/service_state/trans calls: whose session went to which state. */
  readonly transfers: { open_kfid: string; external_userid: string; service_state: number }[] = [];
  readonly sendCalls: string[] = [];
  tokenFetches = 0;
  /** The next N send_msg calls are answered errcode -1 (busy). */
  busyNext = 0;
  /** The next N sync_msg calls get HTTP 502 (WeCom unreachable behind its gateway). */
  syncDownNext = 0;
  private token = '';
  private readonly messages = new Map<string, object[]>();
  private readonly seenMsgIds = new Set<string>();
  private server: Server | undefined;
  readonly crypto;

  constructor(
    readonly corpId: string,
    readonly secret: string,
    readonly callbackToken: string,
    readonly aesKey: string,
  ) {
    this.crypto = createWeComCrypto({ token: callbackToken, aesKey, corpId });
  }

  /** WeCom expires the token early (or it was revoked): the next call gets 42001. */
  expireToken(): void {
    this.token = `expired-${this.token}`;
  }

  /** An entry in the account's message list, as sync_msg returns it. */
  push(openKfId: string, entry: object): void {
    const list = this.messages.get(openKfId) ?? [];
    list.push({ open_kfid: openKfId, ...entry });
    this.messages.set(openKfId, list);
  }

  buyerWrites(
    openKfId: string,
    user: string,
    text: string,
    options: { msgid?: string; agoSeconds?: number } = {},
  ) {
    const msgid = options.msgid ?? `from_msgid_${randomBytes(8).toString('hex')}`;
    this.push(openKfId, {
      msgid,
      external_userid: user,
      send_time: Math.floor(Date.now() / 1000) - (options.agoSeconds ?? 0),
      origin: 3,
      msgtype: 'text',
      text: { content: text },
    });
    return msgid;
  }

  event(openKfId: string, event: object): void {
    this.push(openKfId, {
      msgid: `event_${randomBytes(8).toString('hex')}`,
      send_time: Math.floor(Date.now() / 1000),
      origin: 4,
      msgtype: 'event',
      event: { open_kfid: openKfId, ...event },
    });
  }

  servicerWrites(openKfId: string, user: string, text: string): void {
    this.push(openKfId, {
      msgid: `servicer_${randomBytes(8).toString('hex')}`,
      external_userid: user,
      send_time: Math.floor(Date.now() / 1000),
      origin: 5,
      servicer_userid: 'zhangsan',
      msgtype: 'text',
      text: { content: text },
    });
  }

  /** The query and XML body of the callback WeCom posts when an account has new messages. */
  callback(openKfId: string): { query: string; body: string } {
    const event = `<xml><ToUserName><![CDATA[${this.corpId}]]></ToUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENC${randomBytes(6).toString('hex')}]]></Token><OpenKfId><![CDATA[${openKfId}]]></OpenKfId></xml>`;
    const encrypted = this.crypto.encrypt(event);
    return {
      query: this.signedQuery(encrypted),
      body: `<xml><ToUserName><![CDATA[${this.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`,
    };
  }

  signedQuery(encrypted: string, extra = ''): string {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const signature = this.crypto.sign(timestamp, nonce, encrypted);
    return `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}${extra}`;
  }

  to(user: string): WeComSent[] {
    return this.sent.filter((m) => m.touser === user);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (body: object) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const url = new URL(req.url ?? '/', 'http://fake');
        if (url.pathname === '/cgi-bin/gettoken') {
          if (
            url.searchParams.get('corpid') !== this.corpId ||
            url.searchParams.get('corpsecret') !== this.secret
          )
            return answer({ errcode: 40001, errmsg: 'invalid credential' });
          this.tokenFetches += 1;
          this.token = `token-${this.tokenFetches}-${randomBytes(4).toString('hex')}`;
          return answer({ errcode: 0, errmsg: 'ok', access_token: this.token, expires_in: 7200 });
        }
        const given = url.searchParams.get('access_token');
        if (given !== this.token) {
          const expired = given?.startsWith('token-') ?? false;
          return answer(
            expired
              ? { errcode: 42001, errmsg: 'access_token expired' }
              : { errcode: 40014, errmsg: 'invalid access_token' },
          );
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        if (url.pathname === '/cgi-bin/kf/sync_msg' && this.syncDownNext > 0) {
          this.syncDownNext -= 1;
          return res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
        }
        if (url.pathname === '/cgi-bin/kf/sync_msg') {
          const list = this.messages.get(String(body.open_kfid)) ?? [];
          const from = body.cursor ? Number(body.cursor) : 0;
          const limit = Math.min(Number(body.limit ?? 1000), 1000);
          const page = list.slice(from, from + limit);
          return answer({
            errcode: 0,
            errmsg: 'ok',
            next_cursor: String(from + page.length),
            has_more: from + page.length < list.length ? 1 : 0,
            msg_list: page,
          });
        }
        if (url.pathname === '/cgi-bin/kf/send_msg') {
          const msgid = String(body.msgid ?? '');
          this.sendCalls.push(String(body.touser));
          if (this.busyNext > 0) {
            this.busyNext -= 1;
            return answer({ errcode: -1, errmsg: 'system busy' });
          }
          if (!/^[0-9A-Za-z_-]{1,32}$/.test(msgid))
            return answer({ errcode: 40058, errmsg: 'invalid msgid' });
          // WeCom's docs say a msgid it has seen is refused, not with which errcode: 99999 is made up
          // (xiaoer matches the errmsg), so no real errcode is implied.
          if (this.seenMsgIds.has(msgid)) return answer({ errcode: 99999, errmsg: 'msgid duplicated' });
          this.seenMsgIds.add(msgid);
          const text = (body.text as { content?: string } | undefined)?.content ?? '';
          this.sent.push({
            touser: String(body.touser),
            open_kfid: String(body.open_kfid),
            msgid,
            text,
            atMs: Date.now(),
          });
          return answer({ errcode: 0, errmsg: 'ok', msgid });
        }
        if (url.pathname === '/cgi-bin/kf/service_state/trans') {
          if (this.refuseTransfers)
            return answer({ errcode: 95016, errmsg: 'invalid service state transfer' });
          this.transfers.push(body as (typeof this.transfers)[number]);
          return answer({ errcode: 0, errmsg: 'ok', msg_code: 'MSG_CODE' });
        }
        return answer({ errcode: 404, errmsg: 'no such api' });
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    server?.closeAllConnections();
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }
}
