import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/shared/logger.ts';
import { tryUntilDone, type AttemptsOptions } from '../../src/queue/attempts.ts';
import { createConversationTurns } from '../../src/queue/conversation-turns.ts';
import { createWaits } from '../../src/queue/waits.ts';
import { createHeldEntries } from '../../src/queue/held-entries.ts';
import type { InboundShard } from '../../src/queue/inbound-shards.ts';

const log = silentLogger();

describe('conversation turns', () => {
  it("runs one conversation's tasks in order and other conversations' beside them", async () => {
    const turns = createConversationTurns();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = turns.run('a', () =>
      new Promise<void>((done) => (releaseFirst = done)).then(() => void order.push('a1')),
    );
    const second = turns.run('a', async () => void order.push('a2'));
    const other = turns.run('b', async () => void order.push('b1'));
    await other;
    expect(order).toEqual(['b1']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
    expect(turns.size).toBe(0);
  });

  it('goes on with the next task after one fails, and hands the failure to its caller', async () => {
    const turns = createConversationTurns();
    const failed = turns.run('a', async () => {
      throw new Error('boom');
    });
    const next = turns.run('a', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});

describe('attempts', () => {
  const options = (overrides: Partial<AttemptsOptions> = {}): AttemptsOptions & { waited: number[] } => {
    const waited: number[] = [];
    return {
      maxAttempts: 3,
      backoffMs: 5,
      spinMs: 0,
      busyRetryMs: 1,
      running: () => true,
      sleep: async () => undefined,
      waitToRetry: async (ms) => void waited.push(ms),
      log,
      waited,
      ...overrides,
    };
  };

  it('tries a busy conversation again without counting an attempt', async () => {
    const replies = ['busy', 'busy', 'done'] as const;
    let calls = 0;
    const outcome = await tryUntilDone(async () => replies[calls++]!, 1, {}, options());
    expect(outcome).toEqual({ kind: 'done' });
    expect(calls).toBe(3);
  });

  it('waits twice as long after each failure and gives up after the last attempt', async () => {
    const o = options();
    const outcome = await tryUntilDone(async () => Promise.reject(new Error('Redis went away')), 1, {}, o);
    expect(outcome).toEqual({ kind: 'failed', reason: 'Redis went away', attempts: 3 });
    expect(o.waited).toEqual([5, 10]);
  });

  it('counts the attempts a message used before it was given back', async () => {
    const o = options();
    const outcome = await tryUntilDone(async () => Promise.reject(new Error('x')), 3, {}, o);
    expect(outcome).toMatchObject({ kind: 'failed', attempts: 3 });
    expect(o.waited).toEqual([]);
  });

  it('gives a failed message back at once when the consumer stopped during its try, with that try counted', async () => {
    let running = true;
    const o = options({ running: () => running });
    const outcome = await tryUntilDone(
      async () => {
        running = false;
        throw new Error('Redis went away');
      },
      2,
      {},
      o,
    );
    expect(outcome).toEqual({ kind: 'stopped', triesUsed: 2 });
    expect(o.waited).toEqual([]);
  });

  it('stops when the consumer stops, keeping the attempts used', async () => {
    let running = true;
    const o = options({ running: () => running, waitToRetry: async () => void (running = false) });
    const outcome = await tryUntilDone(async () => Promise.reject(new Error('x')), 1, {}, o);
    expect(outcome).toEqual({ kind: 'stopped', triesUsed: 1 });
  });
});

describe('waits', () => {
  it('ends every sleep and slot wait at once when the consumer stops', async () => {
    const waits = createWaits();
    const started = Date.now();
    const pending = Promise.all([waits.sleep(60_000), waits.waitForSlot()]);
    waits.wakeAll();
    await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('ends at once a wait asked for after the consumer stopped', async () => {
    const waits = createWaits();
    waits.wakeAll();
    const started = Date.now();
    await Promise.all([waits.sleep(60_000), waits.waitForSlot()]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('wakes the reads waiting for a slot when one is freed, and only those', async () => {
    const waits = createWaits();
    let slept = false;
    void waits.sleep(60_000).then(() => (slept = true));
    await Promise.all([waits.waitForSlot(), Promise.resolve().then(() => waits.slotFreed())]);
    expect(slept).toBe(false);
    waits.wakeAll();
  });
});

describe('held entries', () => {
  const shard = (index: number): InboundShard => ({ index, stream: `s${index}`, failed: `f${index}` });

  it('knows an entry by its shard and id, and counts the free slots', () => {
    const held = createHeldEntries(2, 1);
    held.hold(shard(0), '1-0', Promise.resolve());
    expect(held.has(shard(0), '1-0')).toBe(true);
    expect(held.has(shard(1), '1-0')).toBe(false);
    expect(held.idsIn(shard(0))).toEqual(['1-0']);
    expect(held.freeSlots()).toBe(1);
    held.release(shard(0), '1-0');
    expect(held.freeSlots()).toBe(2);
  });

  it("gives a waiting entry's slot up while it waits, up to the limit per slot, and takes it back after", async () => {
    const held = createHeldEntries(1, 1);
    held.hold(shard(0), 'a', Promise.resolve());
    held.hold(shard(0), 'b', Promise.resolve());
    let freed = 0;
    let endWait!: () => void;
    const waiting = held.waitGivingSlot(
      () => new Promise<void>((done) => (endWait = done)),
      () => (freed += 1),
    );
    expect(freed).toBe(1);
    expect(held.freeSlots()).toBe(0); // two held, one of them waiting: one slot busy of one
    await held.waitGivingSlot(
      async () => undefined,
      () => (freed += 1),
    ); // the limit reached: keeps its slot
    expect(freed).toBe(1);
    endWait();
    await waiting;
    expect(held.freeSlots()).toBe(-1);
  });

  it('remembers the attempts an entry used, for giving it back', () => {
    const held = createHeldEntries(1, 1);
    held.rememberTries(shard(1), 'x', 3);
    expect(held.triesUsed(shard(1), 'x')).toBe(3);
    expect(held.triesUsed(shard(0), 'x')).toBe(0);
  });
});
