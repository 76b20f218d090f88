import type { RedisClient } from './redis-client.ts';
import type { Logger } from './logger.ts';
import type { Topic } from './topic.ts';

/**
 * A topic over Redis pub/sub: any instance (a worker that opened a hand-off, the HTTP instance an
 * agent replied on) publishes; every HTTP instance with pages open listens on its own subscriber
 * connection, opened with the first page and shared by all of them.
 */
export function createRedisTopic<T>(
  publisher: RedisClient,
  openSubscriber: () => RedisClient,
  channel: string,
  log: Logger,
): Topic<T> {
  const listeners = new Map<(event: T) => void, (() => void) | undefined>();
  let subscriber: RedisClient | undefined;
  let subscribed: Promise<unknown> | undefined;
  let closed = false;

  function deliver(from: string, raw: string): void {
    if (from !== channel) return;
    let event: T;
    try {
      event = JSON.parse(raw) as T;
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
        log.warn({ err: (err as Error).message, channel }, 'event not published');
      }
    },
    async subscribe(listener, onClose) {
      // After close (the service is stopping) nothing new listens: the stream ends at once.
      if (closed) {
        onClose?.();
        return () => {};
      }
      listeners.set(listener, onClose);
      if (!subscriber) {
        subscriber = openSubscriber();
        subscriber.on('message', deliver);
        subscribed = subscriber.subscribe(channel);
      }
      await subscribed;
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      for (const onClose of listeners.values()) onClose?.();
      listeners.clear();
      const s = subscriber;
      subscriber = undefined;
      if (s) await s.quit().catch(() => s.disconnect());
    },
  };
}
