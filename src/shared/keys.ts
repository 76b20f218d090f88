/** Every Redis key we write, in one place, all under the configured prefix. */
export function keys(prefix: string) {
  return {
    conversation: (id: string) => `${prefix}:conv:${id}`,
    history: (id: string) => `${prefix}:conv:${id}:msgs`,
    conversationLock: (id: string) => `${prefix}:conv:${id}:lock`,
    conversationIndex: () => `${prefix}:convs`,
    seen: (kind: 'msg' | 'event', channel: string, id: string) => `${prefix}:seen:${channel}:${kind}:${id}`,
    /** Beside its conversation's keys, so the commit can set it atomically with them. */
    inboundDone: (conversationId: string, messageId: string) => `${prefix}:conv:${conversationId}:done:${messageId}`,
    order: (orderId: string) => `${prefix}:order:${orderId}`,
    conversationOrders: (conversationId: string) => `${prefix}:conv:${conversationId}:orders`,
    reminderStats: () => `${prefix}:stats:reminders`,
    handoff: (id: string) => `${prefix}:handoff:${id}`,
    handoffs: (state: 'waiting' | 'claimed' | 'resolved') => `${prefix}:handoffs:${state}`,
    agentsOnline: () => `${prefix}:agents:online`,
    labels: () => `${prefix}:labels`,
    warehouseTasks: () => `${prefix}:tasks:warehouse`,
    stats: () => `${prefix}:stats`,
    remindedToday: (buyerId: string, localDate: string) => `${prefix}:reminded:${buyerId}:${localDate}`,
  };
}
export type Keys = ReturnType<typeof keys>;
