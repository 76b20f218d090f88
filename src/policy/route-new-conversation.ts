/** RECEPTION_MODE: who takes a new conversation. */
export type ReceptionMode =
  { kind: 'bot-first' } | { kind: 'people-first' } | { kind: 'split'; toPeople: number };

export function parseReceptionMode(value: string): ReceptionMode | undefined {
  if (value === 'bot-first' || value === 'people-first') return { kind: value };
  const split = value.match(/^split:(0(?:\.\d+)?|1(?:\.0+)?)$/);
  return split ? { kind: 'split', toPeople: Number(split[1]) } : undefined;
}

/**
 * Bot first: the bot answers and hands off what it can't. People first: agents take new
 * conversations while any is online, the bot covers when none is (at night). Split: a share of new
 * conversations, chosen by a stable hash of the conversation, goes to people while any is online.
 */
export function routeNewConversation(
  mode: ReceptionMode,
  conversationId: string,
  agentsOnline: number,
): 'bot' | 'people' {
  if (mode.kind === 'bot-first' || agentsOnline === 0) return 'bot';
  if (mode.kind === 'people-first') return 'people';
  let hash = 0;
  for (let i = 0; i < conversationId.length; i++) hash = (hash * 31 + conversationId.charCodeAt(i)) >>> 0;
  return (hash % 10_000) / 10_000 < mode.toPeople ? 'people' : 'bot';
}
