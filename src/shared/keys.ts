/**
 * Every Redis key we write, in one place, all starting with the configured prefix.
 *
 * The part in braces is a Redis Cluster hash tag: keys with the same tag live in the same slot,
 * so one MULTI or Lua script may touch them together. The groups are one conversation
 * (`{c:<id>}`: its state, history, lock, orders and done marks), the desk (`{desk}`), the
 * counters (`{stats}`) and each shard of the inbound stream with its duplicate marks and failed
 * list (`{inbox}`, `{inbox:1}` …). Nothing atomic ever spans two groups; on a single Redis the
 * tags are just part of the name.
 */
export function keys(prefix: string) {
  const conv = (id: string) => `${prefix}:conv:{c:${id}}`;
  const desk = `${prefix}:{desk}`;
  const stats = `${prefix}:{stats}`;
  // Not `{inbound}`: that was the BullMQ queue's name before, and its keys may still be there.
  // Shard 0 keeps the name the one stream had before it was sharded.
  const inbound = (shard: number) => (shard === 0 ? `${prefix}:{inbox}` : `${prefix}:{inbox:${shard}}`);
  return {
    conversation: (id: string) => conv(id),
    history: (id: string) => `${conv(id)}:msgs`,
    conversationLock: (id: string) => `${conv(id)}:lock`,
    conversationOrders: (conversationId: string) => `${conv(conversationId)}:orders`,
    /** Marks an inbound message answered; beside its conversation so the commit MULTI can set it. */
    inboundDone: (conversationId: string, messageId: string) => `${conv(conversationId)}:done:${messageId}`,
    /** The conversation's messages in the outbox, in the order they must leave (outbox/conversation-line.ts). */
    /** When the buyer last wrote, for a platform's reply window (channels/redis-reply-window.ts). */
    replyWindow: (conversationId: string) => `${conv(conversationId)}:window`,
    outboxLine: (conversationId: string) => `${conv(conversationId)}:outbox`,
    /** When each message in the line joined it. */
    outboxLineJoined: (conversationId: string) => `${conv(conversationId)}:outbox:joined`,
    conversationIndex: () => `${prefix}:convs`,
    /** The catalog in effect for every instance (catalog/catalog-sync.ts); its hash beside it, same slot. */
    catalog: () => `${prefix}:{catalog}`,
    /** Set when the web chat starts a conversation: the public chat API serves only those. */
    webChat: (conversationId: string) => `${conv(conversationId)}:web`,
    /** Web chat conversations started in one minute, across every instance. */
    webChatsStarted: (minute: number) => `${prefix}:webchats:started:${minute}`,
    /** Buyer messages waiting for a worker, one stream per shard (read by the consumer group `workers`). */
    inboundStream: (shard = 0) => `${inbound(shard)}:stream`,
    /** A shard's buyer messages that failed every attempt: listed and replayed by the admin API. */
    inboundFailed: (shard = 0) => `${inbound(shard)}:failed`,
    /** A buyer message's id, marked when it is queued: the channel's retry is a duplicate. Beside its shard's stream: one script sets both. */
    inboundSeen: (shard: number, channel: string, messageId: string) =>
      `${inbound(shard)}:seen:${channel}:${messageId}`,
    /** The most shards any producer has written to: workers read all of them (pipeline/inbound-shards.ts). */
    inboundShards: () => `${inbound(0)}:shards`,
    seen: (kind: 'event', channel: string, id: string) => `${prefix}:seen:${channel}:${kind}:${id}`,
    order: (orderId: string) => `${prefix}:order:${orderId}`,
    /** Orders placed on a day of the shop's time zone, by time placed (the orders page). */
    ordersOn: (day: string) => `${prefix}:orders:d:${day}`,
    /** Orders whose buyer asked for an invoice not issued yet, by time asked. */
    invoicesWaiting: () => `${prefix}:orders:invoices`,
    handoff: (id: string) => `${desk}:handoff:${id}`,
    handoffs: (state: 'waiting' | 'claimed' | 'resolved') => `${desk}:handoffs:${state}`,
    agentsOnline: () => `${desk}:agents:online`,
    /** The pub/sub channels of desk events and of web chats with something new (shared/redis-topic.ts). */
    deskEvents: () => `${desk}:events`,
    webChatEvents: () => `${prefix}:webchat:events`,
    /** An agent's internal notes and tags on a conversation, beside it. */
    deskNotes: (conversationId: string) => `${conv(conversationId)}:desk:notes`,
    deskTags: (conversationId: string) => `${conv(conversationId)}:desk:tags`,
    /** A buyer's hand-offs on one channel (ids are only unique per channel): the desk shows their earlier conversations. */
    buyerHandoffs: (channel: string, buyerId: string) => `${desk}:buyer:${channel}:${buyerId}`,
    labels: () => `${prefix}:labels`,
    /** What the outbound guard refused: a capped list the admin API reads (guard/redis-refused-log.ts). */
    guardRefused: () => `${prefix}:guard:refused`,
    /**
     * When a channel may next send, shop-wide and per chat (channels/redis-send-pace.ts): one
     * slot per channel, so one script reads and sets both.
     */
    sendPace: (channel: string, chat?: string) =>
      chat === undefined ? `${prefix}:{pace:${channel}}:all` : `${prefix}:{pace:${channel}}:chat:${chat}`,
    /** WeCom customer service (channels/wecom/redis-wecom-state.ts): the shop's, and each conversation's beside it. */
    wecom: {
      token: () => `${prefix}:{wecom}:token`,
      tokenLock: () => `${prefix}:{wecom}:token:lock`,
      cursor: (openKfId: string) => `${prefix}:{wecom}:cursor:${openKfId}`,
      connected: (openKfId: string) => `${prefix}:{wecom}:connected:${openKfId}`,
      syncLock: (openKfId: string) => `${prefix}:{wecom}:sync:${openKfId}`,
      tried: (msgid: string) => `${prefix}:{wecom}:tried:${msgid}`,
      budget: (conversationId: string) => `${conv(conversationId)}:wecom:budget`,
      budgetSpentOn: (conversationId: string) => `${conv(conversationId)}:wecom:spent`,
      servicer: (conversationId: string) => `${conv(conversationId)}:wecom:servicer`,
      entry: (conversationId: string) => `${conv(conversationId)}:wecom:entry`,
    },
    warehouseTasks: () => `${prefix}:tasks:warehouse`,
    stats: () => stats,
    reminderStats: () => `${stats}:reminders`,
    reminderStatsDay: (day: string) => `${stats}:reminders:d:${day}`,
    remindedToday: (buyerId: string, localDate: string) => `${prefix}:reminded:${buyerId}:${localDate}`,
  };
}
export type Keys = ReturnType<typeof keys>;

/**
 * BullMQ keeps a queue's keys under `<prefix>:<queue name>:…` and runs Lua over several of them,
 * so the name carries the hash tag (BullMQ's documented way for Cluster): each queue sits in one
 * slot, and different queues spread over the cluster's nodes.
 */
export const queueName = (name: string) => `{${name}}`;
