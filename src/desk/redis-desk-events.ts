import type { RedisClient } from '../shared/redis-client.ts';
import type { Logger } from '../shared/logger.ts';
import type { DeskEvent, DeskEvents } from './desk-events.ts';

/**
 * Desk events over Redis pub/sub: any instance (a worker that opened a hand-off, the HTTP instance
 * an agent replied on) publishes; every HTTP instance with desk pages open listens on its own
 * subscriber connection, opened with the first page and shared by all of them.
 */
export function createRedisDeskEvents(
  publisher: RedisClient,
  openSubscriber: () => RedisClient,
  channel: string,
  log: Logger,
): DeskEvents {
  const listeners = new Map<(event: DeskEvent) => void, (() => void) | undefined>();
  let subscriber: RedisClient | undefined;
  let subscribed: Promise<unknown> | undefined;

  function deliver(from: string, raw: string): void {
    if (from !== channel) return;
    let event: DeskEvent;
    try {
      event = JSON.parse(raw) as DeskEvent;
    } catch {
      return;
    }
    for (const listener of listeners.keys()) listener(event);
  }

  return {
    async publish(event) {
      try {
        await publisher.publish(channel, JSON.stringify(event));
      } catch (err) {
        // The page's slow poll shows the change a little later; the message itself is safe.
        log.warn({ err: (err as Error).message, event: event.type }, 'desk event not published');
      }
    },
    async subscribe(listener, closed) {
      listeners.set(listener, closed);
      if (!subscriber) {
        subscriber = openSubscriber();
        subscriber.on('message', deliver);
        subscribed = subscriber.subscribe(channel);
      }
      await subscribed;
      return () => listeners.delete(listener);
    },
    async close() {
      for (const closed of listeners.values()) closed?.();
      listeners.clear();
      const s = subscriber;
      subscriber = undefined;
      if (s) await s.quit().catch(() => s.disconnect());
    },
  };
}
