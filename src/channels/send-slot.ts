import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelBusyError, ChannelSendError } from '../shared/errors.ts';
import type { SendPace } from './redis-send-pace.ts';

/**
 * Waits for the chat's send slot (redis-send-pace.ts), at most `maxWaitMs`; a slot further off
 * throws ChannelBusyError: the message goes to (or stays in) the outbox until then.
 */
export async function takeSendSlot(
  pace: SendPace,
  chat: string,
  platform: string,
  maxWaitMs: number,
): Promise<void> {
  let slot: { booked: boolean; waitMs: number };
  try {
    slot = await pace.book(chat, maxWaitMs);
  } catch (err) {
    throw new ChannelSendError(`${platform} send pace unavailable (Redis)`, { cause: err });
  }
  if (!slot.booked) throw new ChannelBusyError(`${platform} send pace: no slot soon enough`, slot.waitMs);
  if (slot.waitMs > 0) await sleep(slot.waitMs);
}

/** The first try waits this long at most: the shop-wide slot a few ms on, not a chat's one-second gap. */
const FIRST_TRY_WAIT_MS = 100;

/**
 * How long a send may wait for its slot. The first try, from the worker that wrote the answer
 * (a timeout shorter than the channel's), waits briefly: a reply that must wait longer goes to
 * the outbox, which may. Telegram and WhatsApp take no idempotency key, so the request itself
 * always gets the channel's whole timeout: a slow answer cut short would be sent again.
 */
export function slotWaitMs(timeoutMs: number, channelTimeoutMs: number): number {
  return timeoutMs < channelTimeoutMs ? Math.min(FIRST_TRY_WAIT_MS, timeoutMs / 2) : channelTimeoutMs / 2;
}
