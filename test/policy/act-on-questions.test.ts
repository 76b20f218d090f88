import { describe, expect, it } from 'vitest';
import { actOnHandoff, followedUp, mainHandoff } from '../../src/policy/act-on-questions.ts';
import type { Decision } from '../../src/policy/decide-reply.ts';

const stock: Decision = { kind: 'answer', intent: 'product.stock', answerCase: 'in-stock' };
const askHeight: Decision = { kind: 'answer', intent: 'product.size', answerCase: 'need-measurements' };
const unknownFact: Decision = {
  kind: 'handoff',
  reason: 'product.info',
  intent: 'product.info',
  answerCase: 'default',
};
const person: Decision = { kind: 'handoff', reason: 'human.request', intent: 'human.request' };
const of = (...decisions: Decision[]) => decisions.map((decision, i) => ({ decision, n: i }));

describe('mainHandoff', () => {
  it('takes the most serious hand-off: a fact the shop did not give comes last', () => {
    expect(mainHandoff(of(unknownFact, stock, person))?.decision).toBe(person);
    expect(mainHandoff(of(stock, unknownFact))?.decision).toBe(unknownFact);
    expect(mainHandoff(of(stock, askHeight))).toBeUndefined();
  });
});

describe('actOnHandoff', () => {
  it('lets the other answers stand beside a fact the shop did not give, the notice last', () => {
    const decided = of(unknownFact, stock);
    const acted = actOnHandoff(decided, decided[0]!);
    expect(acted.map((d) => d.decision.kind)).toEqual(['answer', 'handoff']);
    expect(acted[1]!.decision).toMatchObject({ reason: 'product.info', answerCase: 'beside' });
  });

  it('leaves an answer that asks the buyer something back to the person', () => {
    const decided = of(askHeight, unknownFact, stock);
    expect(actOnHandoff(decided, decided[1]!).map((d) => d.decision)).toEqual([
      stock,
      { ...unknownFact, answerCase: 'beside' },
    ]);
    const alone = of(askHeight, unknownFact);
    expect(actOnHandoff(alone, alone[1]!).map((d) => d.decision)).toEqual([unknownFact]);
  });

  it('takes the whole message to a person for any other hand-off', () => {
    const decided = of(stock, person, unknownFact);
    expect(actOnHandoff(decided, mainHandoff(decided)!).map((d) => d.decision)).toEqual([person]);
  });
});

describe('followedUp', () => {
  it('keeps the state of the question that asked something back, else of the last one', () => {
    expect(followedUp(of(askHeight, stock)).decision).toBe(askHeight);
    expect(followedUp(of(stock, askHeight)).decision).toBe(askHeight);
    expect(followedUp(of(askHeight, stock, unknownFact)).decision).toBe(unknownFact);
    const two = of(stock, { ...stock, intent: 'shipping.time' });
    expect(followedUp(two)).toBe(two[1]);
  });
});
