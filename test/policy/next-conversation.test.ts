import { describe, expect, it } from 'vitest';
import { newConversation, type Conversation } from '../../src/conversations/conversation.ts';
import type { NluResult } from '../../src/nlu/classifier.ts';
import type { IntentId } from '../../src/nlu/intent-ids.ts';
import type { Decision } from '../../src/policy/decide-reply.ts';
import { nextConversation } from '../../src/policy/next-conversation.ts';

const BEFORE = new Date('2025-06-01T08:00:00.000Z');
const NOW = new Date('2025-06-01T08:05:00.000Z');

function nlu(intent: IntentId, extra: Partial<NluResult> = {}): NluResult {
  return {
    text: '…',
    language: 'en',
    intent,
    confidence: 0.9,
    emotional: false,
    emotionScore: 0,
    entities: {},
    alternatives: [],
    ...extra,
  };
}

function conversation(extra: Partial<Conversation> = {}): Conversation {
  return { ...newConversation('c1', 'b1', 'generic', BEFORE), language: 'zh', ...extra };
}

describe('nextConversation', () => {
  it('counts a clarifying question as one more message not understood', () => {
    const next = nextConversation(
      conversation({ notUnderstoodInARow: 0 }),
      { kind: 'clarify' },
      nlu('None'),
      undefined,
      NOW,
    );
    expect(next.notUnderstoodInARow).toBe(1);
    expect(next.lastIntent).toBe('None');
  });

  it('resets the not-understood count after an answer', () => {
    const decision: Decision = { kind: 'answer', intent: 'greeting', answerCase: 'default' };
    const next = nextConversation(
      conversation({ notUnderstoodInARow: 1 }),
      decision,
      nlu('greeting'),
      undefined,
      NOW,
    );
    expect(next.notUnderstoodInARow).toBe(0);
  });

  it('waits for a person after a handoff and records that the buyer was told', () => {
    const decision: Decision = { kind: 'handoff', reason: 'human.request', intent: 'human.request' };
    const next = nextConversation(conversation(), decision, nlu('human.request'), undefined, NOW);
    expect(next.mode).toBe('waiting');
    expect(next.handoff).toEqual({ reason: 'human.request', at: NOW.toISOString(), noticeSent: true });
  });

  it('remembers the intent and the measurements while asking which product', () => {
    const decision: Decision = { kind: 'ask-product', intent: 'product.size' };
    const next = nextConversation(
      conversation(),
      decision,
      nlu('product.size', { entities: { heightCm: 165, weightKg: 55 } }),
      undefined,
      NOW,
    );
    // and the question itself, to answer once the item is named
    expect(next.pending).toEqual({ intent: 'product.size', heightCm: 165, weightKg: 55, question: '…' });
  });

  it('waits for measurements after asking for them', () => {
    const decision: Decision = { kind: 'answer', intent: 'product.size', answerCase: 'need-measurements' };
    const next = nextConversation(
      conversation(),
      decision,
      nlu('product.size', { entities: { size: 'M' } }),
      'tee-1',
      NOW,
    );
    expect(next.pending).toEqual({ intent: 'product.size', size: 'M' });
    expect(next.productId).toBe('tee-1');
  });

  it('forgets what it waited for once it answers', () => {
    const decision: Decision = { kind: 'answer', intent: 'product.size', answerCase: 'fit' };
    const next = nextConversation(
      conversation({ pending: { intent: 'product.size', heightCm: 165 } }),
      decision,
      nlu('product.size'),
      'tee-1',
      NOW,
    );
    expect(next.pending).toBeUndefined();
    expect(next.lastIntent).toBe('product.size');
  });

  it('changes only the language and the time when it stays silent', () => {
    const before = conversation({
      mode: 'agent',
      notUnderstoodInARow: 1,
      lastIntent: 'complaint',
      pending: { intent: 'product.size', heightCm: 170 },
    });
    const next = nextConversation(
      before,
      { kind: 'silent', reason: 'person-has-conversation' },
      nlu('greeting'),
      undefined,
      NOW,
    );
    expect(next).toEqual({ ...before, language: 'en', updatedAt: NOW.toISOString() });
  });

  it('does not change the conversation it was given', () => {
    const before = conversation({ pending: { intent: 'product.size' } });
    const copy = structuredClone(before);
    nextConversation(
      before,
      { kind: 'handoff', reason: 'emotional', intent: 'complaint' },
      nlu('complaint'),
      'tee-1',
      NOW,
    );
    expect(before).toEqual(copy);
  });

  it('remembers the measurements of a size question only, the newest replacing the old', () => {
    const answered: Decision = { kind: 'answer', intent: 'product.size', answerCase: 'fit' };
    const sized = nextConversation(
      conversation(),
      answered,
      nlu('product.size', { entities: { heightCm: 165, weightKg: 50 } }),
      undefined,
      NOW,
    );
    expect(sized.measurements).toEqual({ heightCm: 165, weightKg: 50 });
    // "满199包邮吗": 199 reads as a height, but it is no size question.
    const discount: Decision = { kind: 'answer', intent: 'price.discount', answerCase: 'default' };
    const after = nextConversation(
      sized,
      discount,
      nlu('price.discount', { entities: { heightCm: 199 } }),
      undefined,
      NOW,
    );
    expect(after.measurements).toEqual({ heightCm: 165, weightKg: 50 });
    // Someone else's height alone: not mixed with the earlier weight.
    const other = nextConversation(
      sized,
      answered,
      nlu('product.size', { entities: { heightCm: 180 } }),
      undefined,
      NOW,
    );
    expect(other.measurements).toEqual({ heightCm: 180 });
  });

  it('keeps the size a size answer said fits, and when, and none when it handed off instead', () => {
    const answered: Decision = { kind: 'answer', intent: 'product.size', answerCase: 'fit' };
    const reading = nlu('product.size', { entities: { heightCm: 165, weightKg: 50 } });
    expect(nextConversation(conversation(), answered, reading, undefined, NOW, 'M').measurements).toEqual({
      heightCm: 165,
      weightKg: 50,
      fits: 'M',
      at: NOW.toISOString(),
    });
    const handedOff: Decision = { kind: 'handoff', reason: 'emotional', intent: 'product.size' };
    expect(nextConversation(conversation(), handedOff, reading, undefined, NOW, 'M').measurements).toEqual({
      heightCm: 165,
      weightKg: 50,
    });
    // An answer that asked for the weight told no size, though a height alone points to one.
    const askedWeight: Decision = { kind: 'answer', intent: 'product.size', answerCase: 'need-weight' };
    const tall = nlu('product.size', { entities: { heightCm: 175 } });
    expect(nextConversation(conversation(), askedWeight, tall, undefined, NOW, 'L').measurements).toEqual({
      heightCm: 175,
    });
  });

  it('forgets the size that fits once a size question for someone else is asked', () => {
    const told = { ...conversation(), measurements: { heightCm: 155, weightKg: 45, fits: 'S' } };
    const askedAgain: Decision = { kind: 'answer', intent: 'product.size', answerCase: 'need-measurements' };
    const next = nextConversation(told, askedAgain, nlu('product.size'), undefined, NOW);
    expect(next.measurements?.fits).toBeUndefined();
    // Another topic in between keeps it.
    const other: Decision = { kind: 'answer', intent: 'shipping.time', answerCase: 'default' };
    expect(nextConversation(told, other, nlu('shipping.time'), undefined, NOW).measurements).toEqual(
      told.measurements,
    );
  });
});
