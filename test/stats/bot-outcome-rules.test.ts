import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  nextBotOutcome,
  repeatKey,
  type BotOutcomeState,
  type BotTurn,
} from '../../src/stats/bot-outcome.ts';
import { createRedisStatsStore } from '../../src/stats/redis-stats-store.ts';
import { keys } from '../../src/shared/keys.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';

const at = (hhmm: string, day = '2026-11-11') => new Date(`${day}T${hhmm}:00+08:00`);
const turn = (
  kind: BotTurn['kind'],
  hhmm: string,
  text = 'q',
  emotional = false,
  day = '2026-11-11',
): BotTurn => ({
  kind,
  emotional,
  question: repeatKey(text),
  now: at(hhmm, day),
  today: day,
});
/** The state after `turns` in order, and every change they made. */
function run(...turns: BotTurn[]) {
  let state: BotOutcomeState | undefined;
  const changes = [];
  for (const t of turns) {
    const next = nextBotOutcome(state, t);
    state = next.state;
    changes.push(...next.changes);
  }
  return { state, changes };
}

describe('what the bot’s answers came to (nextBotOutcome)', () => {
  it('counts a conversation once a day, and only its answers to questions', () => {
    expect(run(turn('other', '10:00', '在吗')).changes).toEqual([]);
    expect(run(turn('answer', '10:00'), turn('answer', '10:05', 'another')).changes).toEqual([
      { day: '2026-11-11', answered: true },
    ]);
  });

  it('takes a clarifying question back only when it is answered within the window', () => {
    const inTime = run(
      turn('answer', '10:00', 'a'),
      turn('clarify', '10:01', 'b'),
      turn('answer', '10:20', 'c'),
    );
    expect(inTime.changes).toEqual([
      { day: '2026-11-11', answered: true },
      { day: '2026-11-11', to: 'clarify' },
      { day: '2026-11-11', from: 'clarify' },
    ]);
    // A thanks after it is no answer to it; an answer the next morning is too late.
    const late = run(
      turn('answer', '23:10', 'a'),
      turn('clarify', '23:20', 'b'),
      turn('other', '23:21', '谢谢'),
      turn('answer', '09:00', 'c', false, '2026-11-12'),
    );
    expect(late.changes).toEqual([
      { day: '2026-11-11', answered: true },
      { day: '2026-11-11', to: 'clarify' },
      { day: '2026-11-12', answered: true },
    ]);
  });

  it('reads the same question again as unhappy, but not a hello again or other numbers', () => {
    expect(
      run(turn('answer', '10:00', '发什么快递'), turn('answer', '10:02', '发什么快递？')).state?.mark,
    ).toBe('unhappy');
    expect(
      run(turn('answer', '10:00', '订单123到哪了'), turn('answer', '10:02', '订单456到哪了')).state?.mark,
    ).toBe(undefined);
    expect(
      run(turn('answer', '10:00', 'a'), turn('other', '10:01', '在吗'), turn('other', '10:02', '在吗')).state
        ?.mark,
    ).toBe(undefined);
  });

  it('lets a stronger sign replace a weaker one, and no sign count after 30 minutes', () => {
    const { changes, state } = run(
      turn('answer', '10:00', 'a'),
      turn('clarify', '10:01', 'b'),
      turn('handoff', '10:02', 'c'),
      turn('answer', '11:00', 'd'),
      turn('other', '11:40', 'so angry', true),
    );
    expect(changes).toEqual([
      { day: '2026-11-11', answered: true },
      { day: '2026-11-11', to: 'clarify' },
      { day: '2026-11-11', from: 'clarify', to: 'handoff' },
    ]);
    expect(state?.mark).toBe('handoff');
    // Upset 45 minutes after the answer: a new matter, not a sign against it.
    expect(run(turn('answer', '10:00', 'a'), turn('other', '10:45', 'so angry', true)).state?.mark).toBe(
      undefined,
    );
  });
});

describe('open answers in the stats store', () => {
  it('keeps a marked conversation out of the open ones however long it goes on', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const prefix = uniquePrefix();
    try {
      const store = createRedisStatsStore(redis, keys(prefix), 'Asia/Shanghai');
      const answer = (conversationId: string, hhmm: string, firstToday: boolean) =>
        store.message({
          intent: 'shipping.time',
          at: at(hhmm),
          newConversation: firstToday,
          channel: 'generic',
          conversationId,
          botAnswered: { day: '2026-11-11', firstToday },
        });
      await answer('marked', '10:00', true);
      await store.botOutcome('marked', [{ day: '2026-11-11', to: 'unhappy' }]);
      await answer('marked', '10:20', false); // the conversation goes on after its mark
      await answer('open', '10:30', true);
      const summary = await store.summary({ from: '2026-11-11', to: '2026-11-11' }, at('10:40'));
      expect(summary.bot).toMatchObject({
        answered: 2,
        open: 1, // only the unmarked one
        resolved: 0,
        notResolved: { handoff: 0, unhappy: 1, clarify: 0 },
        resolutionRate: 0,
      });
      // Past the window: the unmarked answer stood.
      const later = await store.summary({ from: '2026-11-11', to: '2026-11-11' }, at('11:30'));
      expect(later.bot).toMatchObject({ answered: 2, open: 0, resolved: 1, resolutionRate: 0.5 });
      await store.close();
    } finally {
      await deletePrefix(prefix);
      redis.disconnect();
    }
  });
});
