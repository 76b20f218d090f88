import type { Conversation, HistoryEntry } from './conversation.ts';

/** Messages kept per conversation. */
export const HISTORY_KEPT = 500;

/** Messages kept per anonymous web chat conversation: what bounds the bytes one visitor can make Redis keep. */
export const WEB_HISTORY_KEPT = 50;

/** Marks a buyer message handled; `record` is kept with the mark and read back by `begin` (what was sent). */
export interface DoneMark {
  messageId: string;
  record?: string;
}

export interface CommitOptions {
  done?: DoneMark;
  fence?: string;
  previousUpdatedAt?: string;
}

export type BeginResult =
  | { kind: 'done'; record: string; inOutbox: number }
  | { kind: 'busy' }
  | {
      kind: 'open';
      fence: string;
      conversation: Conversation | undefined;
      countInWindow: number;
      /** The conversation's messages waiting in the outbox: replies to this one must go behind them. */
      inOutbox: number;
    };

export interface ConversationStore {
  load(id: string): Promise<Conversation | undefined>;
  history(id: string, limit?: number): Promise<HistoryEntry[]>;
  /**
   * Unless the message was handled already (then its done mark's record) or another worker holds
   * the conversation ('busy'): takes the conversation's lock and returns its token (`fence`), the
   * conversation, and the message counted in its minute. The caller releases the lock.
   */
  begin(conversationId: string, messageId: string, windowSeconds: number): Promise<BeginResult>;
  /**
   * Gives back the lock `begin` took (only while `fence` still holds it); with `delivered`, marks
   * that message's replies sent, so a re-run of its job does not send them again.
   */
  release(
    conversationId: string,
    fence: string,
    delivered?: { messageId: string; record: string },
  ): Promise<void>;
  /** Marks a handled message's replies sent (after a re-run job sent them again). */
  markDelivered(conversationId: string, delivered: { messageId: string; record: string }): Promise<void>;
  /**
   * Saves the state, appends the messages and marks the inbound message done, atomically. With
   * `fence` (the lock token begin or withLock gave), only while that lock still holds: else
   * `LockLostError`. `previousUpdatedAt` (the state as it was loaded) spares the recent list a
   * write when the conversation already moved in the same minute.
   */
  commit(conversation: Conversation, entries: HistoryEntry[], options?: CommitOptions): Promise<void>;
  append(conversationId: string, entries: HistoryEntry[]): Promise<void>;
  /**
   * Notes on a message to the buyer in the history that it never reached them, and why (undefined:
   * it did after all, the note goes); false when the message is not there (any more).
   */
  markUndelivered(conversationId: string, messageId: string, reason: string | undefined): Promise<boolean>;
  /** Runs `fn` holding the conversation's lock ({ ran: false } when another worker holds it); `fn` gets the fence token. */
  withLock<T>(
    conversationId: string,
    fn: (fence: string) => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }>;
  recent(limit: number): Promise<string[]>;
  /** Changes the stored conversation under its lock, waiting a moment if a worker holds it. */
  mutate(
    conversationId: string,
    change: (conversation: Conversation) => Conversation,
  ): Promise<Conversation | undefined>;
}
