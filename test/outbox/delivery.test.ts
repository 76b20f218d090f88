import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChannelPort } from '../../src/channels/channel.ts';
import type { ChannelId, OutboundMessage } from '../../src/channels/message.ts';
import { createDelivery } from '../../src/outbox/delivery.ts';
import { createRedisConversationStore } from '../../src/conversations/redis-conversation-store.ts';
import { createOutbox, type OutboxJob } from '../../src/outbox/outbox-queue.ts';
import { createConversationLine } from '../../src/outbox/conversation-line.ts';
import { keys } from '../../src/shared/keys.ts';
import { createSendMessage } from '../../src/outbox/send-message.ts';
import { ChannelBusyError, ChannelRefusedError, ChannelSendError } from '../../src/shared/errors.ts';
import { createMetrics } from '../../src/stats/prom-metrics.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';

/** The shop's send API as a port: takes a message, or fails while `down`; `hold` keeps a send open. */
class ScriptedChannel implements ChannelPort {
  readonly tried: string[] = [];
  down = false;
  /** The error a down channel throws. */
  failure: () => Error = () => new ChannelSendError('channel answered 503');
  hold: Promise<void> | undefined;
  readonly timeouts: (number | undefined)[] = [];
  async send(message: OutboundMessage, timeoutMs?: number) {
    this.tried.push(message.messageId);
    this.timeouts.push(timeoutMs);
    if (this.hold) await this.hold;
    if (this.down) throw this.failure();
  }
  constructor(readonly id: ChannelId = 'generic') {}
}

describe('delivering replies at once', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const outbox = createOutbox(redis, prefix, 3, createConversationLine(redis, keys(prefix)), silentLogger());
  const metrics = createMetrics({});
  let clock = 0;
  const setup = (pauseMs = 1_000) => {
    const channel = new ScriptedChannel();
    const telegram = new ScriptedChannel('telegram');
    const send = createSendMessage({
      channels: { generic: channel, telegram },
      ownDomains: ['shop.example'],
      metrics,
      log: silentLogger(),
    });
    return {
      channel,
      telegram,
      deliver: createDelivery({
        send,
        outbox,
        conversations: createRedisConversationStore(redis, keys(prefix), 3600, silentLogger()),
        log: silentLogger(),
        pauseMs,
        timeoutMs: 250,
        now: () => clock,
      }).deliver,
    };
  };
  const job = (id: string, text = `reply ${id}`, channel: ChannelId = 'generic'): OutboxJob => ({
    channel,
    message: { messageId: id, conversationId: 'c-1', buyerId: 'b-1', text, from: 'bot', kind: 'answer' },
  });
  const queued = async (...ids: string[]) =>
    (await Promise.all(ids.map((id) => outbox.queue.getJob(id)))).map((j) => j?.data.message.messageId);

  afterEach(() => {
    clock = 0;
  });
  afterAll(async () => {
    await outbox.close();
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('sends through the channel in order, with nothing put in the outbox', async () => {
    const { channel, deliver } = setup();
    await deliver([job('a1'), job('a2')]);
    expect(channel.tried).toEqual(['a1', 'a2']);
    expect(channel.timeouts).toEqual([250, 250]); // its own short wait, not the channel's
    expect(await queued('a1', 'a2')).toEqual([undefined, undefined]);
  });

  it('puts a failed reply, and the ones after it, in the outbox; then skips the channel until the pause is over', async () => {
    const { channel, deliver } = setup(1_000);
    channel.down = true;
    await deliver([job('b1'), job('b2')]);
    expect(channel.tried).toEqual(['b1']);
    expect(await queued('b1', 'b2')).toEqual(['b1', 'b2']);

    clock = 999;
    await deliver([job('b3')]);
    expect(channel.tried).toEqual(['b1']);
    expect(await queued('b3')).toEqual(['b3']);

    clock = 1_000;
    channel.down = false;
    await deliver([job('b4')]);
    await deliver([job('b5')]);
    expect(channel.tried).toEqual(['b1', 'b4', 'b5']);
    expect(await queued('b4', 'b5')).toEqual([undefined, undefined]);
  });

  it('after the pause, tries the channel with one reply at a time until one gets through', async () => {
    const { channel, deliver } = setup(1_000);
    channel.down = true;
    await deliver([job('c1')]);
    clock = 2_000;
    let open!: () => void;
    channel.hold = new Promise((done) => (open = done));
    const probe = deliver([job('c2')]);
    await deliver([job('c3')]); // while c2 is being tried, c3 does not wait on the channel
    expect(channel.tried).toEqual(['c1', 'c2']);
    expect(await queued('c3')).toEqual(['c3']);
    open();
    await probe;
    expect(await queued('c2')).toEqual(['c2']); // the channel was still down: the probe failed
    channel.hold = undefined;
    clock = 2_500;
    await deliver([job('c4')]);
    expect(channel.tried).toEqual(['c1', 'c2']); // paused again from the failed probe
  }, 5_000);

  it("pauses only the failing channel: another channel's replies still go at once", async () => {
    const { channel, telegram, deliver } = setup(1_000);
    telegram.down = true;
    await deliver([job('e1', 'reply e1', 'telegram')]);
    await deliver([job('e2')]);
    await deliver([job('e3', 'reply e3', 'telegram')]);
    expect(telegram.tried).toEqual(['e1']);
    expect(channel.tried).toEqual(['e2']);
    expect(await queued('e1', 'e2', 'e3')).toEqual(['e1', undefined, 'e3']);
  });

  it("pauses a channel that asks to wait for as long as it asks, and not at all for one message it refuses or can't pace now", async () => {
    const { telegram, deliver } = setup(1_000);
    telegram.down = true;
    telegram.failure = () =>
      new ChannelRefusedError('Telegram answered 403: Forbidden: bot was blocked by the user');
    await deliver([job('f1', 'reply f1', 'telegram')]);
    telegram.failure = () => new ChannelBusyError('Telegram send pace: no slot soon enough', 800);
    await deliver([job('f2', 'reply f2', 'telegram')]);
    telegram.down = false;
    await deliver([job('f3', 'reply f3', 'telegram')]);
    expect(telegram.tried).toEqual(['f1', 'f2', 'f3']);
    expect(await queued('f1', 'f2', 'f3')).toEqual(['f1', 'f2', undefined]);

    telegram.down = true;
    telegram.failure = () => new ChannelSendError('Telegram answered 429', { retryAfterMs: 3_000 });
    await deliver([job('f4', 'reply f4', 'telegram')]);
    telegram.down = false;
    clock = 2_000; // past the 1 s pause, not past retry_after
    await deliver([job('f5', 'reply f5', 'telegram')]);
    clock = 3_000;
    await deliver([job('f6', 'reply f6', 'telegram')]);
    expect(telegram.tried).toEqual(['f1', 'f2', 'f3', 'f4', 'f6']);
  });

  it('hands a text the guard blocks to the outbox (which keeps it as failed), without pausing the channel', async () => {
    const { channel, deliver } = setup();
    await deliver([job('d1', '加我微信 wx: shopbuddy88 聊'), job('d2')]);
    expect(channel.tried).toEqual([]);
    expect(await queued('d1', 'd2')).toEqual(['d1', 'd2']);
    await deliver([job('d3')]);
    expect(channel.tried).toEqual(['d3']);
  });
});
