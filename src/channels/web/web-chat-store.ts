export type StartResult =
  { kind: 'started'; conversationId: string } | { kind: 'busy'; retryAfterSeconds: number };

export interface WebChatStore {
  /** A new conversation, unless the shop-wide number of new ones this minute is reached. */
  start(): Promise<StartResult>;
  /** Whether the web chat started this conversation and it has not expired; `refresh` restarts its lifetime. */
  isOpen(conversationId: string, options?: { refresh: boolean }): Promise<boolean>;
}
