import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeWeCom } from '../../helpers/fake-wecom.ts';
import {
  adminHeaders,
  failedOutboxMessage,
  FIXTURE_CATALOG,
  signedPost,
  skippedReminder,
  sleep,
  startTestService,
  useTestService,
  waitFor,
  localTimeIn,
} from '../../helpers/service.ts';

const CORP_ID = 'ww1436e0e65a779aee';
const SECRET = 'kf-app-secret-0123456789';
const TOKEN = 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo';
const AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';

const wecom = new FakeWeCom(CORP_ID, SECRET, TOKEN, AES_KEY);
afterAll(() => wecom.stop());

const newUser = () => `wm${randomBytes(12).toString('base64url')}`;
/** Each test its own customer service account, so first pulls and cursors are its own. */
const newAccount = () => `wk${randomBytes(12).toString('base64url')}`;

describe('the WeCom customer service channel', () => {
  const { service } = useTestService(async () => ({
    WECOM_CORP_ID: CORP_ID,
    WECOM_SECRET: SECRET,
    WECOM_TOKEN: TOKEN,
    WECOM_AES_KEY: AES_KEY,
    WECOM_API_BASE: await wecom.start(),
    CATALOG_FILE: FIXTURE_CATALOG,
    OUTBOX_BACKOFF_MS: '100',
    OUTBOX_BACKOFF_MAX_MS: '400',
    AGENT_TOKENS: 'ann:ann-token',
    WORK_HOURS: '00:00-24:00',
  }));
  const callbackUrl = (query: string) => `${service.url}/v1/channels/wecom/callback?${query}`;
  /** WeCom's callback for the account: new messages to pull. */
  const notify = async (account: string) => {
    const { query, body } = wecom.callback(account);
    const res = await fetch(callbackUrl(query), {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });
    expect(res.status).toBe(200);
  };
  /** An account with one message already pulled, so the first-pull rule is behind it. */
  const connectedAccount = async () => {
    const account = newAccount();
    const first = newUser();
    wecom.buyerWrites(account, first, '在吗');
    await notify(account);
    await waitFor(() => (wecom.to(first).length ? true : undefined), 8_000, 'the first answer');
    return account;
  };
  const sentTo = (user: string, n = 1) =>
    waitFor(
      () => (wecom.to(user).length >= n ? wecom.to(user) : undefined),
      8_000,
      `${n} messages to ${user}`,
    );
  const desk = (path: string, body?: unknown) =>
    fetch(`${service.url}/v1/desk${path}`, {
      method: body === undefined && !path.endsWith('claim') ? 'GET' : 'POST',
      headers: { authorization: 'Bearer ann-token', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("answers WeCom's URL check with the decrypted echostr, and refuses a bad signature", async () => {
    const echostr = wecom.crypto.encrypt('8827105542');
    const ok = await fetch(
      callbackUrl(wecom.signedQuery(echostr, `&echostr=${encodeURIComponent(echostr)}`)),
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('8827105542');
    const signed = wecom.signedQuery(echostr, `&echostr=${encodeURIComponent(echostr)}`);
    const forged = signed.replace(
      /msg_signature=(\w)/,
      (_all, c: string) => `msg_signature=${c === '0' ? '1' : '0'}`,
    );
    expect((await fetch(callbackUrl(forged))).status).toBe(401);
  });

  it('refuses a callback with a bad signature (401) or a body that does not decrypt (400)', async () => {
    const { query, body } = wecom.callback(newAccount());
    const forged = query.replace(/timestamp=\d+/, 'timestamp=1');
    expect((await fetch(callbackUrl(forged), { method: 'POST', body })).status).toBe(401);
    const junk = Buffer.alloc(48, 7).toString('base64');
    const junkBody = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><Encrypt><![CDATA[${junk}]]></Encrypt></xml>`;
    const res = await fetch(callbackUrl(wecom.signedQuery(junk)), { method: 'POST', body: junkBody });
    expect(res.status).toBe(400);
  });

  it("pulls the buyer's message after the callback and answers with send_msg, once, with a stable msgid", async () => {
    const account = await connectedAccount();
    const user = newUser();
    const msgid = wecom.buyerWrites(account, user, '发什么快递？');
    wecom.buyerWrites(account, user, '发什么快递？', { msgid }); // WeCom lists it twice
    await notify(account);
    await notify(account); // and calls back twice
    const [answer] = await sentTo(user);
    expect(answer).toMatchObject({ open_kfid: account });
    expect(answer!.msgid).toMatch(/^[0-9A-Za-z_-]{1,32}$/);
    expect(answer!.text).toMatch(/快递|中通/);
    await sleep(500);
    expect(wecom.to(user)).toHaveLength(1);
    const stored = await fetch(`${service.url}/v1/admin/conversations/wecom:${account}:${user}`, {
      headers: adminHeaders(),
    }).then((r) => r.json());
    expect(stored.conversation).toMatchObject({ channel: 'wecom', buyerId: user });
  });

  it('answers about the product the buyer came from (enter_session scene_param)', async () => {
    const account = await connectedAccount();
    const user = newUser();
    wecom.event(account, {
      event_type: 'enter_session',
      external_userid: user,
      scene: 'shop',
      scene_param: 't-1',
    });
    wecom.buyerWrites(account, user, '身高172体重124斤穿什么码');
    await notify(account);
    const [answer] = await sentTo(user);
    expect(answer!.text).toMatch(/L/);
  });

  it('records the days of messages of a first pull without answering them', async () => {
    const account = newAccount();
    const user = newUser();
    wecom.buyerWrites(account, user, '发什么快递？', { agoSeconds: 2 * 3600 });
    await notify(account);
    const conversationId = `wecom:${account}:${user}`;
    const stored = await waitFor(async () => {
      const res = await fetch(`${service.url}/v1/admin/conversations/${conversationId}`, {
        headers: adminHeaders(),
      });
      return res.status === 200 ? res.json() : undefined;
    });
    expect(stored.messages.map((m: { from: string }) => m.from)).toEqual(['buyer']);
    await sleep(300);
    expect(wecom.to(user)).toEqual([]);
  });

  it('keeps quiet while a WeCom servicer has the buyer, and answers again once the session ends', async () => {
    const account = await connectedAccount();
    const user = newUser();
    wecom.servicerWrites(account, user, '您好，我是客服小张');
    wecom.buyerWrites(account, user, '发什么快递？');
    await notify(account);
    await waitFor(async () => {
      const res = await fetch(`${service.url}/v1/admin/conversations/wecom:${account}:${user}`, {
        headers: adminHeaders(),
      });
      return res.status === 200 ? true : undefined;
    });
    await sleep(300);
    expect(wecom.to(user)).toEqual([]);
    wecom.event(account, { event_type: 'session_status_change', external_userid: user, change_type: 3 });
    wecom.buyerWrites(account, user, '发货快吗？');
    await notify(account);
    await sentTo(user);
  });

  it('fetches the access token once for all, and again once when WeCom says it expired', async () => {
    const account = await connectedAccount();
    const fetches = wecom.tokenFetches;
    const user = newUser();
    wecom.expireToken();
    wecom.buyerWrites(account, user, '发什么快递？');
    await notify(account);
    await sentTo(user);
    expect(wecom.tokenFetches).toBe(fetches + 1);
  });

  it('pulls again after WeCom was unreachable, from the stored callback', async () => {
    const account = await connectedAccount();
    const user = newUser();
    wecom.syncDownNext = 2;
    wecom.buyerWrites(account, user, '发什么快递？');
    await notify(account);
    await waitFor(() => (wecom.to(user).length ? true : undefined), 15_000, 'the answer after the outage');
    expect(wecom.syncDownNext).toBe(0);
  }, 20_000);

  it("notes WeCom's msg_send_fail on the message it names, for the desk and the admin API", async () => {
    const account = await connectedAccount();
    const user = newUser();
    wecom.buyerWrites(account, user, '发什么快递？');
    await notify(account);
    const [answer] = await sentTo(user);
    wecom.event(account, {
      event_type: 'msg_send_fail',
      external_userid: user,
      fail_msgid: answer!.msgid,
      fail_type: 4,
    });
    await notify(account);
    const entry = await waitFor(async () => {
      const stored = await fetch(`${service.url}/v1/admin/conversations/wecom:${account}:${user}`, {
        headers: adminHeaders(),
      }).then((r) => r.json());
      return (stored.messages as { messageId: string; undelivered?: string }[]).find(
        (m) => m.messageId === answer!.msgid && m.undelivered,
      );
    });
    expect(entry.undelivered).toMatch(/msg_send_fail, fail_type 4/);
  });

  it('retries while WeCom is busy (errcode -1)', async () => {
    const account = await connectedAccount();
    const user = newUser();
    wecom.busyNext = 3;
    wecom.buyerWrites(account, user, '发什么快递？');
    await notify(account);
    await sentTo(user);
    expect(wecom.sendCalls.filter((u) => u === user).length).toBeGreaterThanOrEqual(4);
  });

  it('sends at most 5 messages after a buyer message: the desk sees what is left, and gets 409 BUDGET_SPENT beyond', async () => {
    const account = await connectedAccount();
    const user = newUser();
    const conversationId = `wecom:${account}:${user}`;
    wecom.buyerWrites(account, user, '我要人工客服');
    await notify(account);
    await sentTo(user); // the hand-off notice: 1 of 5
    const waiting = await waitFor(async () => {
      const list = await desk('/handoffs?state=waiting').then((r) => r.json());
      return (list.handoffs as { id: string; conversationId: string }[]).find(
        (h) => h.conversationId === conversationId,
      );
    });
    const claimed = await (await desk(`/handoffs/${waiting.id}/claim`)).json();
    expect(claimed.handoff.channel).toBe('wecom');
    expect(claimed.sendState).toMatchObject({ open: true, messagesLeft: 4 });
    for (const n of [1, 2, 3, 4])
      expect((await desk(`/handoffs/${waiting.id}/messages`, { text: `亲，第${n}条` })).status).toBe(202);
    await sentTo(user, 5);
    const over = await desk(`/handoffs/${waiting.id}/messages`, { text: '亲，第5条' });
    expect(over.status).toBe(409);
    expect((await over.json()).error.code).toBe('BUDGET_SPENT');

    wecom.buyerWrites(account, user, '好的');
    await notify(account);
    await waitFor(async () => {
      const view = await desk(`/handoffs/${waiting.id}`).then((r) => r.json());
      return view.sendState?.messagesLeft === 5 ? true : undefined;
    });
    expect((await desk(`/handoffs/${waiting.id}/messages`, { text: '亲，第5条' })).status).toBe(202);
    await sentTo(user, 6);
  });
});

describe('WeCom hand-offs to the account’s own servicers (WECOM_HANDOFF=servicers)', () => {
  const { service } = useTestService(async () => ({
    WECOM_CORP_ID: CORP_ID,
    WECOM_SECRET: SECRET,
    WECOM_TOKEN: TOKEN,
    WECOM_AES_KEY: AES_KEY,
    WECOM_API_BASE: await wecom.start(),
    WECOM_HANDOFF: 'servicers',
    CATALOG_FILE: FIXTURE_CATALOG,
    AGENT_TOKENS: 'ann:ann-token',
    WORK_HOURS: '00:00-24:00',
  }));
  const notify = async (account: string) => {
    const { query, body } = wecom.callback(account);
    const res = await fetch(`${service.url}/v1/channels/wecom/callback?${query}`, { method: 'POST', body });
    expect(res.status).toBe(200);
  };

  it('sends the notice, then hands the session to the servicers, opens nothing at our desk, and keeps quiet', async () => {
    const account = newAccount();
    const first = newUser();
    wecom.buyerWrites(account, first, '在吗');
    await notify(account);
    await waitFor(() => (wecom.to(first).length ? true : undefined), 8_000, 'the first answer');

    const user = newUser();
    wecom.buyerWrites(account, user, '我要人工客服');
    await notify(account);
    const transfer = await waitFor(() => wecom.transfers.find((t) => t.external_userid === user));
    expect(transfer).toEqual({ open_kfid: account, external_userid: user, service_state: 2 });
    expect(wecom.to(user)).toHaveLength(1); // the notice, before the transfer
    const waiting = await fetch(`${service.url}/v1/desk/handoffs?state=waiting`, {
      headers: { authorization: 'Bearer ann-token' },
    }).then((r) => r.json());
    expect(waiting.handoffs).toEqual([]);

    wecom.buyerWrites(account, user, '发什么快递？');
    await notify(account);
    await sleep(600);
    expect(wecom.to(user)).toHaveLength(1);
  });

  it('lists a transfer WeCom refuses with the notice, and lets the bot answer again rather than nobody', async () => {
    const account = newAccount();
    const first = newUser();
    wecom.buyerWrites(account, first, '在吗');
    await notify(account);
    await waitFor(() => (wecom.to(first).length ? true : undefined), 8_000, 'the first answer');
    const user = newUser();
    wecom.refuseTransfers = true;
    try {
      wecom.buyerWrites(account, user, '我要人工客服');
      await notify(account);
      const failed = await failedOutboxMessage(service, `wecom:${account}:${user}`);
      expect(failed.failedReason).toMatch(
        /the notice was sent, but WeCom would not hand the session .*95016/,
      );
      expect(wecom.to(user)).toHaveLength(1); // the notice reached the buyer
    } finally {
      wecom.refuseTransfers = false;
    }
    wecom.buyerWrites(account, user, '发什么快递？');
    await notify(account);
    await waitFor(() => (wecom.to(user).length >= 2 ? true : undefined), 8_000, 'the bot answering again');
  });
});

describe('the unpaid-order reminder of a WeCom buyer', () => {
  it('goes within the budget, and is skipped with the reason for a buyer who never wrote', async () => {
    const at = localTimeIn(5);
    const s = await startTestService({
      WECOM_CORP_ID: CORP_ID,
      WECOM_SECRET: SECRET,
      WECOM_TOKEN: TOKEN,
      WECOM_AES_KEY: AES_KEY,
      WECOM_API_BASE: await wecom.start(),
      CATALOG_FILE: FIXTURE_CATALOG,
      SHOP_TZ: 'Asia/Shanghai',
      REMINDER_AT: at,
      REMINDER_MIN_DELAY: '0',
      QUIET_HOURS: 'off',
    });
    try {
      const account = newAccount();
      const wrote = newUser();
      const silent = newUser();
      wecom.buyerWrites(account, wrote, '在吗'); // a first pull, recent: answered
      const { query, body } = wecom.callback(account);
      await fetch(`${s.url}/v1/channels/wecom/callback?${query}`, { method: 'POST', body });
      await waitFor(() => (wecom.to(wrote).length ? true : undefined), 8_000, 'the answer');
      const order = (user: string) => ({
        eventId: `e-${randomBytes(6).toString('hex')}`,
        type: 'created',
        orderId: `o-${randomBytes(6).toString('hex')}`,
        buyerId: user,
        conversationId: `wecom:${account}:${user}`,
        at: new Date().toISOString(),
        items: [{ productId: 't-1', qty: 1, price: 79 }],
        total: 79,
      });
      const held = newUser();
      wecom.buyerWrites(account, held, '在吗');
      wecom.servicerWrites(account, held, '您好，我是客服小张');
      const again = wecom.callback(account);
      await fetch(`${s.url}/v1/channels/wecom/callback?${again.query}`, { method: 'POST', body: again.body });
      await waitFor(async () => {
        const res = await fetch(`${s.url}/v1/admin/conversations/wecom:${account}:${held}`, {
          headers: adminHeaders(),
        });
        return res.status === 200 ? true : undefined;
      });
      const silentOrder = order(silent);
      const heldOrder = order(held);
      for (const event of [order(wrote), silentOrder, heldOrder])
        expect((await signedPost(`${s.url}/v1/channels/generic/orders`, event)).status).toBe(202);
      const [, reminder] = await waitFor(
        () => (wecom.to(wrote).length >= 2 ? wecom.to(wrote) : undefined),
        12_000,
      );
      expect(reminder!.text).toMatch(/竹纤维圆领T恤/);
      expect(await skippedReminder(s, silentOrder.orderId)).toMatch(
        /the buyer has not written to this WeCom account/,
      );
      expect(await skippedReminder(s, heldOrder.orderId)).toBe('a WeCom servicer has the conversation');
      expect(wecom.sendCalls.filter((u) => u === silent)).toEqual([]);
    } finally {
      await s.close();
    }
  }, 30_000);
});
