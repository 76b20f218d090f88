import type { Logger } from '../../shared/logger.ts';
import type { InboundMessage } from '../message.ts';
import type { WeComApi } from './wecom-api.ts';
import { readSynced, type Synced } from './wecom-messages.ts';
import type { WeComState } from './redis-wecom-state.ts';

/** On the first pull of an account WeCom returns up to 3 days: older than this is recorded, not answered. */
const ANSWER_WITHIN_MS = 10 * 60_000;
const PAGE = 1000;
/** The callback's token is good for 10 minutes; a pull retried later goes without it. */
const TOKEN_FRESH_MS = 9 * 60_000;

export interface WeComSyncDeps {
  api: Pick<WeComApi, 'syncMsg'>;
  state: WeComState;
  /** Queues a buyer message; `quiet` records it without an answer, saying why. */
  accept(message: InboundMessage, quiet: string | undefined): Promise<unknown>;
  /** Notes on one of our messages in its conversation's history that it never reached the buyer. */
  undelivered(conversationId: string, messageId: string, reason: string): Promise<unknown>;
  now: () => Date;
  log: Logger;
}

/**
 * Pulls an account's (open_kfid's) new messages with kf/sync_msg after WeCom's callback said
 * there are some: from the cursor kept in Redis, page after page until has_more is 0, one pull
 * per account at a time across instances. Messages are queued before the cursor moves past them,
 * so a crash pulls them again and the inbound queue's dedupe on msgid drops the repeats.
 */
export function createWeComSync(deps: WeComSyncDeps) {
  const log = deps.log.child({ channel: 'wecom' });

  async function take(entry: Synced, connectedAt: Date): Promise<void> {
    switch (entry.kind) {
      case 'buyer': {
        await deps.state.openBudget(entry.conversationId, entry.msgid, entry.sentAt);
        if (!entry.message) return;
        const quiet =
          entry.sentAt.getTime() < connectedAt.getTime() - ANSWER_WITHIN_MS
            ? 'sent before xiaoer was connected to this WeCom account'
            : (await deps.state.heldByServicer(entry.conversationId))
              ? 'a WeCom servicer has the conversation'
              : undefined;
        const productId = await deps.state.takeEntry(entry.conversationId);
        await deps.accept({ ...entry.message, ...(productId ? { productId } : {}) }, quiet);
        return;
      }
      case 'entered':
        if (entry.productId) await deps.state.rememberEntry(entry.conversationId, entry.productId);
        return;
      case 'servicer':
        await deps.state.holdByServicer(entry.conversationId);
        return;
      case 'session-ended':
        await deps.state.releaseServicer(entry.conversationId);
        return;
      case 'send-failed': {
        // Our msgid is the outbound message's own id (wecom-channel.ts): the failure maps back to it.
        const reason = `WeCom could not deliver it (msg_send_fail, fail_type ${entry.failType ?? 'unknown'})`;
        log.warn(
          { conversationId: entry.conversationId, messageId: entry.msgid, failType: entry.failType },
          reason,
        );
        await deps.undelivered(entry.conversationId, entry.msgid, reason);
        return;
      }
      case 'other':
        return;
    }
  }

  /**
   * `calledBackAt`: when WeCom's callback came; its token is good for 10 minutes, after which a
   * retried pull goes without it (WeCom then applies a stricter rate limit).
   */
  return async function sync(
    openKfId: string,
    callbackToken: string | undefined,
    calledBackAt: Date | undefined,
  ): Promise<number> {
    const pulled = await deps.state.syncing(openKfId, async () => {
      let cursor = await deps.state.cursor(openKfId);
      // Set by the account's first pull, kept when that pull is cut short and retried.
      const connectedAt = await deps.state.connectedAt(openKfId, deps.now());
      const fresh =
        callbackToken && (!calledBackAt || deps.now().getTime() - calledBackAt.getTime() < TOKEN_FRESH_MS);
      let count = 0;
      for (;;) {
        const page = await deps.api.syncMsg({
          ...(cursor ? { cursor } : {}),
          ...(fresh ? { token: callbackToken } : {}),
          open_kfid: openKfId,
          limit: PAGE,
        });
        for (const entry of page.msg_list ?? []) await take(readSynced(entry), connectedAt);
        count += page.msg_list?.length ?? 0;
        if (page.next_cursor && page.next_cursor !== cursor) {
          // Another pull moved the cursor (this one outlived its lock): it goes on from there.
          if (!(await deps.state.saveCursor(openKfId, cursor, page.next_cursor))) return count;
          cursor = page.next_cursor;
        }
        if (!page.has_more) return count;
      }
    });
    // Another instance has held the account's pull for 30 s: this job is retried, and pulls what is new then.
    if (!pulled.ran) throw new Error(`another pull of WeCom account ${openKfId} is still running`);
    return pulled.value;
  };
}
