import { createHash } from 'node:crypto';
import { ChannelRefusedError, SignatureError, ValidationError } from '../../shared/errors.ts';
import type { ChannelInbound, ChannelPort, SendLimits, SendState } from '../channel.ts';
import type { InboundMessage, OutboundMessage } from '../message.ts';
import type { Logger } from '../../shared/logger.ts';
import { createWeComSync } from './wecom-sync.ts';
import { createWeComApi, WeComRefusedError } from './wecom-api.ts';
import { createWeComCrypto } from './wecom-crypto.ts';
import type { Spent, WeComState } from './redis-wecom-state.ts';
import { WECOM_BUDGET } from './redis-wecom-state.ts';
import type { SyncJob } from './wecom-sync-queue.ts';
import { xmlField } from './wecom-xml.ts';

const CONVERSATION = /^wecom:([^:]+):(.+)$/;
/** WeCom's msgid: at most 32 of 0-9 A-Z a-z _ -. */
const MSGID = /^[0-9A-Za-z_-]{1,32}$/;

export interface WeComChannel extends ChannelInbound {
  readonly id: 'wecom';
  readonly path: 'callback';
  port: ChannelPort;
  limits: SendLimits;
  /** Pulls an account's new messages into the inbound queue (the sync worker runs it per stored callback). */
  sync(openKfId: string, callbackToken: string | undefined, calledBackAt: Date | undefined): Promise<number>;
}

export interface WeComOptions {
  corpId: string;
  secret: string;
  token: string;
  aesKey: string;
  apiBase: string;
  timeoutMs: number;
  state: WeComState;
  /**
   * `servicers`: a hand-off goes to the account's WeCom servicers (kf/service_state/trans) once its
   * notice is sent, instead of our desk; `desk`: to our desk.
   */
  handoff: 'desk' | 'servicers';
  /** Stores a callback's pull durably (wecom-sync-queue.ts) before WeCom is answered. */
  pull(job: SyncJob): Promise<void>;
  /** Queues a pulled buyer message; `quiet` records it without an answer, saying why. */
  accept(message: InboundMessage, quiet: string | undefined): Promise<unknown>;
  /** Notes on one of our messages in its conversation's history that it never reached the buyer. */
  undelivered(conversationId: string, messageId: string, reason: string): Promise<unknown>;
  now: () => Date;
  log: Logger;
}

/** Our outbound message id as WeCom's msgid: the same on every retry, so WeCom sends it once. */
export function wecomMsgId(messageId: string): string {
  return MSGID.test(messageId)
    ? messageId
    : createHash('sha256').update(messageId).digest('base64url').slice(0, 32);
}

const SPENT_REASON: Record<Exclude<Spent, 'spent'>, string> = {
  'spent-out': `WeCom allows ${WECOM_BUDGET} messages after each buyer message, and they are spent`,
  'no-buyer-message':
    'the buyer has not written to this WeCom account: WeCom sends only after a buyer message',
  expired: "over 48 h since the buyer's last message: WeCom sends nothing more until they write",
};

/**
 * WeCom customer service (微信客服, CONTRACT.md "Real channels"): the callback is signed and
 * encrypted, and only says an account has new messages: it is stored and answered at once, and
 * the messages are pulled with sync_msg (wecom-sync.ts). Replies go with send_msg within WeCom's
 * budget of 5 messages per buyer message within 48 h, counted here before anything is sent.
 */
export function createWeComChannel(options: WeComOptions): WeComChannel {
  const crypto = createWeComCrypto({ token: options.token, aesKey: options.aesKey, corpId: options.corpId });
  const api = createWeComApi({
    apiBase: options.apiBase,
    corpId: options.corpId,
    secret: options.secret,
    state: options.state,
    timeoutMs: options.timeoutMs,
  });
  const param = (query: Record<string, unknown>, name: string) =>
    typeof query[name] === 'string' ? query[name] : '';

  async function state(conversationId: string, kind: OutboundMessage['kind']): Promise<SendState> {
    const budget = await options.state.budget(conversationId);
    if (kind === 'reminder' && (await options.state.heldByServicer(conversationId)))
      return {
        open: false,
        code: 'HELD_BY_SERVICER',
        reason: 'a WeCom servicer has the conversation',
        windowEndsAt: budget?.until.toISOString(),
      };
    const windowEndsAt = budget?.until.toISOString();
    const closed = (reason: string): SendState => ({
      open: false,
      code: 'BUDGET_SPENT',
      reason,
      windowEndsAt,
    });
    if (!budget) return closed(SPENT_REASON['no-buyer-message']);
    if (budget.until <= options.now()) return closed(SPENT_REASON.expired);
    if (budget.left <= 0) return closed(SPENT_REASON['spent-out']);
    return { open: true, windowEndsAt, messagesLeft: budget.left };
  }

  const sync = createWeComSync({
    api,
    state: options.state,
    accept: options.accept,
    undelivered: options.undelivered,
    now: options.now,
    log: options.log,
  });

  /**
   * The session to the servicers' queue. Refused for good (the account has no servicers, the
   * session is in a state WeCom won't move): the bot is no longer held quiet, and the refusal is
   * listed with the hand-off notice, which did reach the buyer.
   */
  async function handToServicers(conversationId: string, openKfId: string, user: string, timeoutMs: number) {
    try {
      await api.toServicers(openKfId, user, timeoutMs);
    } catch (err) {
      if (!(err instanceof WeComRefusedError)) throw err; // retried, notice and all (WeCom has its msgid)
      await options.state.releaseServicer(conversationId);
      throw new ChannelRefusedError(
        `the notice was sent, but WeCom would not hand the session to its servicers (errcode ${err.errcode}): nobody has it`,
      );
    }
  }

  return {
    id: 'wecom',
    path: 'callback',
    sync,
    handshake(query) {
      const echo = param(query, 'echostr');
      crypto.verify(param(query, 'msg_signature'), param(query, 'timestamp'), param(query, 'nonce'), echo);
      try {
        return crypto.decrypt(echo);
      } catch {
        throw new SignatureError('echostr does not decrypt with WECOM_AES_KEY');
      }
    },
    async readMessages(request) {
      const encrypted = xmlField(request.body.toString('utf8'), 'Encrypt');
      if (!encrypted) throw new ValidationError('a WeCom callback carries <Encrypt>');
      const query = request.query ?? {};
      crypto.verify(
        param(query, 'msg_signature'),
        param(query, 'timestamp'),
        param(query, 'nonce'),
        encrypted,
      );
      const event = crypto.decrypt(encrypted);
      const openKfId = xmlField(event, 'OpenKfId');
      if (xmlField(event, 'Event') === 'kf_msg_or_event' && openKfId) {
        const token = xmlField(event, 'Token');
        await options.pull({ openKfId, ...(token ? { token } : {}), at: options.now().getTime() });
      }
      return []; // the messages come by the pull
    },
    limits: { state },
    port: {
      id: 'wecom',
      async send(message: OutboundMessage, timeoutMs = options.timeoutMs) {
        const match = CONVERSATION.exec(message.conversationId);
        if (!match) throw new ChannelRefusedError(`"${message.conversationId}" is not a WeCom conversation`);
        const [, openKfId, externalUserId] = match as unknown as [string, string, string];
        const msgid = wecomMsgId(message.messageId);
        const spent = await options.state.spend(message.conversationId, msgid, options.now());
        if (spent !== 'spent') throw new ChannelRefusedError(SPENT_REASON[spent]);
        const toServicers = message.kind === 'handoff' && options.handoff === 'servicers';
        // Quiet from now: the buyer's next message waits for the servicers, not the bot.
        if (toServicers) await options.state.holdByServicer(message.conversationId);
        const triedBefore = await options.state.tried(msgid);
        try {
          await api.sendMsg(
            {
              touser: externalUserId,
              open_kfid: openKfId,
              msgid,
              msgtype: 'text',
              text: { content: message.text },
            },
            timeoutMs,
          );
        } catch (err) {
          // A msgid WeCom has seen: an earlier try got through and its answer was lost.
          if (!(err instanceof WeComRefusedError && triedBefore && /msgid/i.test(err.errmsg))) throw err;
        }
        // After the notice: once the session is the servicers', WeCom takes no more messages from the API.
        if (toServicers) await handToServicers(message.conversationId, openKfId, externalUserId, timeoutMs);
      },
    },
  };
}
