import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { newConversation } from '../../src/conversations/conversation.ts';
import { createRedisConversationStore } from '../../src/conversations/redis-conversation-store.ts';
import { LockLostError } from '../../src/shared/errors.ts';
import { keys } from '../../src/shared/keys.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';

/** The conversation lock is a fence: a worker whose lock expired can't overwrite the next holder's state. */
describe('the conversation store’s lock', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = uniquePrefix();
  const k = keys(prefix);
  const store = createRedisConversationStore(redis, k, 3600, silentLogger());
  const at = new Date('2026-11-11T00:00:00Z');
  const entry = (id: string) => ({ messageId: id, from: 'buyer' as const, text: id, at: at.toISOString() });
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('commits while the lock is held, and marks the message done with its record', async () => {
    const result = await store.withLock('c-1', async (fence) =>
      store.commit({ ...newConversation('c-1', 'b', 'generic', at), language: 'en' }, [entry('m-1')], {
        done: { messageId: 'm-1', record: 'what-was-sent' },
        fence,
      }),
    );
    expect(result.ran).toBe(true);
    expect((await store.load('c-1'))?.language).toBe('en');
    expect((await store.history('c-1')).map((e) => e.messageId)).toEqual(['m-1']);
    expect(await store.begin('c-1', 'm-1', 60)).toEqual({
      kind: 'done',
      record: 'what-was-sent',
      inOutbox: 0,
    });
  });

  it('refuses a commit after the lock expired and another worker took it, and saves nothing', async () => {
    await store.commit(newConversation('c-2', 'b', 'generic', at), [entry('m-1')], {
      done: { messageId: 'm-1' },
    });
    const stale = store.withLock('c-2', async (fence) => {
      // the lock runs out while this worker is stalled, and the next worker takes it
      await redis.set(k.conversationLock('c-2'), 'next-worker-token', 'PX', 10_000);
      await store.commit({ ...newConversation('c-2', 'b', 'generic', at), mode: 'agent' }, [entry('m-2')], {
        done: { messageId: 'm-2' },
        fence,
      });
    });
    await expect(stale).rejects.toThrow(LockLostError);
    expect((await store.load('c-2'))?.mode).toBe('bot');
    expect((await store.history('c-2')).map((e) => e.messageId)).toEqual(['m-1']);
    expect((await store.begin('c-2', 'm-2', 60)).kind).toBe('busy'); // not done; the next worker holds the conversation
    expect(await redis.get(k.conversationLock('c-2'))).toBe('next-worker-token');
  });

  it('refuses a change (mutate) whose lock was lost the same way', async () => {
    await store.commit(newConversation('c-3', 'b', 'generic', at), []);
    const change = store.mutate('c-3', (c) => {
      void redis.set(k.conversationLock('c-3'), 'next-worker-token', 'PX', 10_000);
      return { ...c, mode: 'agent' };
    });
    await expect(change).rejects.toThrow(LockLostError);
    expect((await store.load('c-3'))?.mode).toBe('bot');
  });

  it('begins a message holding the conversation lock: a second message waits (busy) until it is given back', async () => {
    const first = await store.begin('c-4', 'm-1', 60);
    if (first.kind !== 'open') throw new Error(`expected open, got ${first.kind}`);
    expect(first.countInWindow).toBe(1);
    expect(await store.begin('c-4', 'm-2', 60)).toEqual({ kind: 'busy' });
    await store.release('c-4', 'someone-elses-token');
    expect(await store.begin('c-4', 'm-2', 60)).toEqual({ kind: 'busy' });
    await store.commit(newConversation('c-4', 'b', 'generic', at), [entry('m-1')], {
      done: { messageId: 'm-1' },
      fence: first.fence,
    });
    await store.release('c-4', first.fence);
    const second = await store.begin('c-4', 'm-2', 60);
    expect(second).toMatchObject({ kind: 'open', countInWindow: 2, conversation: { id: 'c-4' } });
    // a message already handled is reported done without taking the lock
    expect(await store.begin('c-4', 'm-1', 60)).toEqual({ kind: 'done', record: '1', inOutbox: 0 });
  });

  it('counts a message tried again (its first attempt failed before the commit) once towards the flood limit', async () => {
    const first = await store.begin('c-7', 'm-1', 60);
    if (first.kind !== 'open') throw new Error(first.kind);
    await store.release('c-7', first.fence);
    expect(await store.begin('c-7', 'm-1', 60)).toMatchObject({ kind: 'open', countInWindow: 1 });
    await redis.del(k.conversationLock('c-7'));
    expect(await store.begin('c-7', 'm-2', 60)).toMatchObject({ kind: 'open', countInWindow: 2 });
  });

  it('moves a conversation up the recent list once in each minute it is active, however often it writes', async () => {
    const t = (seconds: number) => new Date(Date.UTC(2026, 10, 11, 1, 0, 0) + seconds * 1000).toISOString(); // on a minute boundary
    const conv = (id: string, updatedAt: string) => ({
      ...newConversation(id, 'b', 'generic', at),
      updatedAt,
    });
    await store.commit(conv('c-5', t(0)), []);
    await store.commit(conv('c-6', t(10)), []);
    await store.commit(conv('c-5', t(30)), [], { previousUpdatedAt: t(0) });
    expect(await store.recent(2)).toEqual(['c-6', 'c-5']); // same minute: not written again
    await store.commit(conv('c-6', t(70)), [], { previousUpdatedAt: t(10) });
    await store.commit(conv('c-5', t(90)), [], { previousUpdatedAt: t(30) }); // a message every 30 s still moves it each minute
    expect(await store.recent(2)).toEqual(['c-5', 'c-6']);
    await store.commit(conv('c-6', t(100)), [], { previousUpdatedAt: t(70) });
    expect(await store.recent(2)).toEqual(['c-5', 'c-6']);
    await store.commit(conv('c-6', t(125)), [], { previousUpdatedAt: t(100) });
    expect(await store.recent(2)).toEqual(['c-6', 'c-5']);
  });

  it('keeps the last 50 messages of an anonymous web chat conversation, and 500 of a channel buyer’s', async () => {
    const many = Array.from({ length: 60 }, (_, i) => entry(`m-${i}`));
    await store.commit(newConversation('web:abcdefghijklmnopqrstuvwx', 'b', 'web', at), many);
    await store.append('web:abcdefghijklmnopqrstuvwx', [entry('m-60')]);
    await store.commit(newConversation('c-7', 'b', 'generic', at), many);
    expect(await redis.llen(k.history('web:abcdefghijklmnopqrstuvwx'))).toBe(50);
    expect((await store.history('web:abcdefghijklmnopqrstuvwx', 1)).map((e) => e.messageId)).toEqual([
      'm-60',
    ]);
    expect(await redis.llen(k.history('c-7'))).toBe(60);
  });
});
