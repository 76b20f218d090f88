import { createHmac, randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { signedHeaders } from '../src/channels/generic/signature.ts';
import { createWeComCrypto } from '../src/channels/wecom/wecom-crypto.ts';
import { loadHeldOut, utterancesOf } from '../src/nlu/load-corpora.ts';
import { deleteKeysWithPrefix } from '../src/shared/redis-helpers.ts';
import { startService, stopProcess } from './bench-service.ts';

/**
 * `npm run bench` (part 4): each channel end to end: buyer messages into its webhook, replies out
 * at a local fake of its platform's send API, answering at once. For each: message → reply at
 * BENCH_CHANNEL_RATE msg/s (p50, p99), then replies/s with 64 senders as fast as they are taken.
 * The platforms' own send limits are raised for the measurement (Telegram allows about 30
 * messages a second, a WhatsApp number 80 by default): the figure is xiaoer's, not the platform's.
 */
const RATE = Number(process.env.BENCH_CHANNEL_RATE ?? 300);
const SECONDS = Number(process.env.BENCH_CHANNEL_SECONDS ?? 5);
const WARMUP = 2;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TEXTS = (['zh', 'en', 'es'] as const).flatMap((lang) =>
  utterancesOf(loadHeldOut(lang)).map((u) => u.text),
);

const TG_TOKEN = '123456789:AAHbenchTokenForTheFakeTelegram_x';
const TG_SECRET = 'bench-hook-secret';
const WA = {
  phone: '106540352242922',
  token: 'EAAbenchAccessToken0123456789',
  secret: 'bench-app-secret',
  verify: 'v',
};
const WC = {
  corpId: 'ww1436e0e65a779aee',
  secret: 'bench-kf-secret-0123',
  token: 'hJqcu3uJ9Tn2gXPm',
  aesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  account: 'wkBenchAccount',
};
const wecomCrypto = createWeComCrypto({ token: WC.token, aesKey: WC.aesKey, corpId: WC.corpId });

/** When each message went in, by the key its reply is matched on (the chat, number or user it goes to). */
const sentAt = new Map<string, number>();
const latencies: number[] = [];
let replies = 0;
/** WeCom's message list, which the fake's sync_msg pages through. */
const wecomList: object[] = [];

function replied(key: string | undefined): void {
  replies += 1;
  const t0 = key === undefined ? undefined : sentAt.get(key);
  if (t0 === undefined) return;
  latencies.push(performance.now() - t0);
  sentAt.delete(key!);
}

/** One local server playing every platform's send API, answering at once as each does on success. */
const platform = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>)
      : {};
    const json = (answer: object) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    if (url.pathname === '/generic') {
      replied(body.inReplyTo as string | undefined);
      return json({ ok: true });
    }
    if (url.pathname.endsWith('/sendMessage')) {
      replied(`tg:${String(body.chat_id)}`);
      return json({ ok: true, result: { message_id: 1 } });
    }
    if (url.pathname.endsWith('/messages')) {
      replied(`wa:${String(body.to)}`);
      return json({ messaging_product: 'whatsapp', messages: [{ id: 'wamid.x' }] });
    }
    if (url.pathname === '/cgi-bin/gettoken')
      return json({ errcode: 0, access_token: 'bench-token', expires_in: 7200 });
    if (url.pathname === '/cgi-bin/kf/sync_msg') {
      const from = body.cursor ? Number(body.cursor) : 0;
      const page = wecomList.slice(from, from + 1000);
      return json({
        errcode: 0,
        next_cursor: String(from + page.length),
        has_more: from + page.length < wecomList.length ? 1 : 0,
        msg_list: page,
      });
    }
    if (url.pathname === '/cgi-bin/kf/send_msg') {
      replied(`wc:${String(body.touser)}`);
      return json({ errcode: 0, errmsg: 'ok' });
    }
    res.writeHead(404).end();
  });
});
await new Promise<void>((done) => platform.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;

interface Channel {
  name: string;
  env: Record<string, string>;
  /** The request for message n, and the key its reply is matched on. */
  message(
    n: number,
    text: string,
  ): { path: string; body: string; headers: Record<string, string>; key: string; ok: number };
}

const CHANNELS: Channel[] = [
  {
    name: 'generic (signed webhook)',
    env: { CHANNEL_SEND_URL: `${base}/generic` },
    message(n, text) {
      const id = `m-${n}`;
      const body = JSON.stringify({
        messageId: id,
        conversationId: `c-${n}`,
        buyer: { id: `b-${n}` },
        text,
        productId: 'p-1001',
      });
      return {
        path: '/v1/channels/generic/messages',
        body,
        headers: signedHeaders('bench-secret-123', body),
        key: id,
        ok: 202,
      };
    },
  },
  {
    name: 'Telegram',
    env: {
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_BASE: base,
      TELEGRAM_SENDS_PER_SECOND: '1000',
    },
    message(n, text) {
      const chat = 100_000 + n;
      const body = JSON.stringify({
        update_id: n,
        message: {
          message_id: n,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chat },
          from: { id: chat, first_name: 'B' },
          text,
        },
      });
      return {
        path: '/v1/channels/telegram/webhook',
        body,
        headers: { 'x-telegram-bot-api-secret-token': TG_SECRET },
        key: `tg:${chat}`,
        ok: 200,
      };
    },
  },
  {
    name: 'WhatsApp',
    env: {
      WHATSAPP_PHONE_NUMBER_ID: WA.phone,
      WHATSAPP_ACCESS_TOKEN: WA.token,
      WHATSAPP_APP_SECRET: WA.secret,
      WHATSAPP_VERIFY_TOKEN: WA.verify,
      WHATSAPP_API_BASE: `${base}/v23.0`,
      WHATSAPP_SENDS_PER_SECOND: '1000',
    },
    message(n, text) {
      const from = String(34_600_000_000 + n);
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'w',
            changes: [
              {
                field: 'messages',
                value: {
                  metadata: { phone_number_id: WA.phone },
                  contacts: [{ wa_id: from, profile: { name: 'B' } }],
                  messages: [
                    {
                      from,
                      id: `wamid.${n}`,
                      timestamp: String(Math.floor(Date.now() / 1000)),
                      type: 'text',
                      text: { body: text },
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
      const signature = `sha256=${createHmac('sha256', WA.secret).update(body).digest('hex')}`;
      return {
        path: '/v1/channels/whatsapp/webhook',
        body,
        headers: { 'x-hub-signature-256': signature },
        key: `wa:${from}`,
        ok: 200,
      };
    },
  },
  {
    name: 'WeCom (callback, then sync_msg)',
    env: {
      WECOM_CORP_ID: WC.corpId,
      WECOM_SECRET: WC.secret,
      WECOM_TOKEN: WC.token,
      WECOM_AES_KEY: WC.aesKey,
      WECOM_API_BASE: base,
    },
    message(n, text) {
      const user = `wmBench${n}`;
      wecomList.push({
        msgid: `bench_${n}`,
        open_kfid: WC.account,
        external_userid: user,
        send_time: Math.floor(Date.now() / 1000),
        origin: 3,
        msgtype: 'text',
        text: { content: text },
      });
      const event = `<xml><ToUserName><![CDATA[${WC.corpId}]]></ToUserName><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[T${n}]]></Token><OpenKfId><![CDATA[${WC.account}]]></OpenKfId></xml>`;
      const encrypted = wecomCrypto.encrypt(event);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = String(n);
      const query = `msg_signature=${wecomCrypto.sign(timestamp, nonce, encrypted)}&timestamp=${timestamp}&nonce=${nonce}`;
      const body = `<xml><ToUserName><![CDATA[${WC.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
      return {
        path: `/v1/channels/wecom/callback?${query}`,
        body,
        headers: { 'content-type': 'text/xml' },
        key: `wc:${user}`,
        ok: 200,
      };
    },
  },
];

const q = (xs: number[], p: number) => Math.round((xs[Math.floor(p * (xs.length - 1))] ?? NaN) * 10) / 10;
const lines: string[] = [`channels end to end (one process, WORKER_THREADS=1; platform send limits raised):`];
const redis = new Redis(REDIS_URL);

for (const channel of CHANNELS) {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const service = await startService({
    REDIS_URL,
    KEY_PREFIX: prefix,
    WEBHOOK_SECRET: 'bench-secret-123',
    ADMIN_TOKEN: 'bench-admin-token',
    AGENT_TOKENS: 'b:bench-token',
    FLOOD_PER_MINUTE: '100000',
    ...channel.env,
  });
  const target = new URL(service.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  let n = 0;
  let refused = 0;
  const send = () => {
    const m = channel.message(n, TEXTS[n % TEXTS.length]!);
    n += 1;
    sentAt.set(m.key, performance.now());
    return new Promise<void>((done) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: m.path,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            ...m.headers,
            'content-length': Buffer.byteLength(m.body),
          },
        },
        (res: IncomingMessage) => {
          if (res.statusCode !== m.ok) refused += 1;
          res.resume();
          res.on('end', done);
        },
      );
      req.on('error', () => {
        refused += 1;
        done();
      });
      req.end(m.body);
    });
  };
  const steady = async (seconds: number) => {
    const inFlight: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < RATE * seconds; i++) {
      const wait = start + (i * 1000) / RATE - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(send());
    }
    await Promise.all(inFlight);
  };
  const drain = async (expected: number) => {
    const until = performance.now() + 30_000;
    while (replies < expected && performance.now() < until) await new Promise((r) => setTimeout(r, 25));
  };

  replies = 0;
  await steady(WARMUP);
  await drain(n - refused);
  latencies.length = 0;
  const before = { n, replies, refused };
  await steady(SECONDS);
  await drain(before.replies + (n - before.n) - (refused - before.refused));
  const measured = [...latencies].sort((a, b) => a - b);
  const steadySent = n - before.n;

  const fastBefore = { n, replies, refused };
  const t0 = performance.now();
  const stopAt = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < stopAt) await send();
    }),
  );
  await drain(fastBefore.replies + (n - fastBefore.n) - (refused - fastBefore.refused));
  const rate = Math.round((replies - fastBefore.replies) / ((performance.now() - t0) / 1000));
  lines.push(
    `  ${channel.name}: at ${RATE} msg/s p50 ${q(measured, 0.5)} ms, p99 ${q(measured, 0.99)} ms (${measured.length} of ${steadySent} answered); sustained ${rate} replies/s (${refused} refused)`,
  );
  await stopProcess(service.child);
  agent.destroy();
  sentAt.clear();
  await deleteKeysWithPrefix(redis, prefix);
}
platform.close();
redis.disconnect();
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
