import { z } from 'zod';
import { InboundMessageSchema, type InboundMessage } from '../message.ts';

/** One entry of kf/sync_msg's msg_list, as far as xiaoer reads it. */
const SyncedSchema = z.object({
  msgid: z.string().min(1).max(200),
  open_kfid: z.string().min(1).max(200),
  external_userid: z.string().max(200).optional(),
  send_time: z.number().int().nonnegative(),
  origin: z.number().int(),
  msgtype: z.string(),
  text: z.object({ content: z.string() }).optional(),
  event: z
    .object({
      event_type: z.string(),
      open_kfid: z.string().optional(),
      external_userid: z.string().optional(),
      scene_param: z.string().optional(),
      change_type: z.number().int().optional(),
      fail_msgid: z.string().optional(),
      fail_type: z.number().int().optional(),
    })
    .optional(),
});

/** `origin` values: 3 the WeChat buyer, 4 an event from WeCom, 5 a servicer on the WeCom app. */
const BUYER = 3;
const EVENT = 4;
const SERVICER = 5;
/** session_status_change's change_type when the servicer ended the session. */
const SESSION_ENDED = 3;

/** WeChat allows long texts; we read a buyer's first 2,000 characters, as on every channel. */
const TEXT_KEPT = 2000;

export type Synced =
  /** A buyer wrote (any kind of message opens a new budget); `message` when it is text to read. */
  | {
      kind: 'buyer';
      conversationId: string;
      msgid: string;
      sentAt: Date;
      message: InboundMessage | undefined;
    }
  /** The buyer opened the chat, from a link or QR code whose scene_param names a product. */
  | { kind: 'entered'; conversationId: string; productId: string | undefined }
  /** A WeCom servicer wrote to the buyer from the WeCom app: a person has the conversation. */
  | { kind: 'servicer'; conversationId: string }
  /** The servicer's session ended: the bot may answer again. */
  | { kind: 'session-ended'; conversationId: string }
  /** WeCom could not deliver one of our messages. */
  | { kind: 'send-failed'; conversationId: string; msgid: string; failType: number | undefined }
  | { kind: 'other' };

export const wecomConversationId = (openKfId: string, externalUserId: string) =>
  `wecom:${openKfId}:${externalUserId}`;

/** What one synced entry means (CONTRACT.md "WeCom customer service"); anything unreadable is 'other'. */
export function readSynced(entry: unknown): Synced {
  const parsed = SyncedSchema.safeParse(entry);
  if (!parsed.success) return { kind: 'other' };
  const m = parsed.data;
  if (m.origin === BUYER && m.external_userid) {
    const conversationId = wecomConversationId(m.open_kfid, m.external_userid);
    const sentAt = new Date(m.send_time * 1000);
    const message =
      m.msgtype === 'text' && m.text
        ? InboundMessageSchema.safeParse({
            messageId: m.msgid,
            conversationId,
            buyer: { id: m.external_userid },
            text: m.text.content.slice(0, TEXT_KEPT),
            sentAt: sentAt.toISOString(),
          })
        : undefined;
    return {
      kind: 'buyer',
      conversationId,
      msgid: m.msgid,
      sentAt,
      message: message?.success ? message.data : undefined,
    };
  }
  if (m.origin === SERVICER && m.external_userid)
    return { kind: 'servicer', conversationId: wecomConversationId(m.open_kfid, m.external_userid) };
  const event = m.event;
  const user = event?.external_userid;
  if (m.origin !== EVENT || m.msgtype !== 'event' || !event || !user) return { kind: 'other' };
  const conversationId = wecomConversationId(event.open_kfid ?? m.open_kfid, user);
  switch (event.event_type) {
    case 'enter_session': {
      const productId = event.scene_param && event.scene_param.length <= 200 ? event.scene_param : undefined;
      return { kind: 'entered', conversationId, productId };
    }
    case 'session_status_change':
      return event.change_type === SESSION_ENDED
        ? { kind: 'session-ended', conversationId }
        : { kind: 'other' };
    case 'msg_send_fail':
      return event.fail_msgid
        ? { kind: 'send-failed', conversationId, msgid: event.fail_msgid, failType: event.fail_type }
        : { kind: 'other' };
    default:
      return { kind: 'other' };
  }
}
