import { describe, expect, it } from 'vitest';
import { newConversation, type Conversation } from '../../src/conversations/conversation.ts';
import type { NluResult } from '../../src/nlu/classifier.ts';
import type { IntentId } from '../../src/nlu/intent-ids.ts';
import { recallContext } from '../../src/policy/recall-context.ts';

const NOW = new Date('2025-06-01T08:00:00.000Z');

function nlu(intent: IntentId, extra: Partial<NluResult> = {}): NluResult {
  return {
    text: '…',
    language: 'zh',
    intent,
    confidence: 0.4,
    emotional: false,
    emotionScore: 0,
    entities: {},
    alternatives: [],
    ...extra,
  };
}

function conversation(pending?: Conversation['pending']): Conversation {
  return { ...newConversation('c1', 'b1', 'generic', NOW), ...(pending ? { pending } : {}) };
}

const askedMeasurements = conversation({ intent: 'product.size' });

describe('recallContext', () => {
  it('reads measurements sent after we asked for them as a size question', () => {
    const message = nlu('None', { text: '165 110斤', entities: { heightCm: 165, weightKg: 55 } });
    expect(recallContext(message, askedMeasurements, false)).toEqual({
      ...message,
      intent: 'product.size',
      entities: { heightCm: 165, weightKg: 55 },
    });
  });

  it('reads a greeting or thanks carrying measurements as the size question we asked', () => {
    const message = nlu('thanks', { entities: { heightCm: 170 } });
    expect(recallContext(message, askedMeasurements, false).intent).toBe('product.size');
  });

  it('merges the measurements remembered from the earlier message', () => {
    const pending = conversation({ intent: 'product.size', heightCm: 165 });
    const message = nlu('None', { text: '110斤', entities: { weightKg: 55 } });
    expect(recallContext(message, pending, false)).toMatchObject({
      intent: 'product.size',
      entities: { heightCm: 165, weightKg: 55 },
    });
  });

  it('lets a new measurement replace the remembered one', () => {
    const pending = conversation({ intent: 'product.size', heightCm: 165, weightKg: 50 });
    const message = nlu('None', { entities: { weightKg: 55 } });
    expect(recallContext(message, pending, false).entities).toEqual({ heightCm: 165, weightKg: 55 });
  });

  it('keeps the remembered size and region', () => {
    const pending = conversation({ intent: 'product.size', size: 'M', region: '新疆' });
    const message = nlu('None', { entities: { heightCm: 165 } });
    expect(recallContext(message, pending, false).entities).toEqual({
      size: 'M',
      region: '新疆',
      heightCm: 165,
    });
  });

  it('does not rewrite an emotional message', () => {
    const message = nlu('None', {
      emotional: true,
      emotionScore: 0.7,
      entities: { heightCm: 165, weightKg: 55 },
    });
    expect(recallContext(message, askedMeasurements, false)).toBe(message);
  });

  it('leaves an unrelated clear intent alone', () => {
    const pending = conversation({ intent: 'product.size', heightCm: 165 });
    const message = nlu('shipping.time', { confidence: 0.95, entities: { region: '新疆' } });
    expect(recallContext(message, pending, false)).toBe(message);
  });

  it('leaves a message without measurements alone after we asked for them', () => {
    const message = nlu('None', { text: '嗯' });
    expect(recallContext(message, askedMeasurements, false)).toBe(message);
  });

  it('leaves the message alone when we are waiting on nothing', () => {
    const message = nlu('None', { entities: { heightCm: 165 } });
    expect(recallContext(message, conversation(), false)).toBe(message);
  });

  it('returns to the pending intent once the buyer names the product we asked for', () => {
    const pending = conversation({ intent: 'product.fabric' });
    const message = nlu('None', { text: '就这件' });
    expect(recallContext(message, pending, true)).toMatchObject({ intent: 'product.fabric' });
  });

  it('adds remembered entities when the buyer repeats the pending intent', () => {
    const pending = conversation({ intent: 'shipping.time', region: '西藏' });
    const message = nlu('shipping.time');
    expect(recallContext(message, pending, false)).toEqual({ ...message, entities: { region: '西藏' } });
  });

  describe('a size named after a size answer', () => {
    const sized: Conversation = {
      ...conversation(),
      lastIntent: 'product.size',
      measurements: { heightCm: 165, weightKg: 50 },
    };
    const named = nlu('product.size', { text: '那L呢', confidence: 0.9, entities: { size: 'L' } });

    it('is weighed against the measurements the buyer gave', () => {
      expect(recallContext(named, sized, false).entities).toEqual({ size: 'L', heightCm: 165, weightKg: 50 });
    });

    it('is asked afresh once the talk moved on (it may be for someone else)', () => {
      const later = { ...sized, lastIntent: 'shipping.time' as const };
      expect(recallContext(named, later, false).entities).toEqual({ size: 'L' });
    });

    it('reads a colour alone as a stock question, about the size that fits when the answer said one', () => {
      const colour = nlu('product.size', { text: '黑色呢', confidence: 0.9, entities: { color: '黑色' } });
      expect(recallContext(colour, sized, false)).toMatchObject({
        intent: 'product.stock',
        entities: { color: '黑色' },
      });
      expect(recallContext(colour, sized, false).entities.size).toBeUndefined();
      const fitted = { ...sized, measurements: { heightCm: 165, weightKg: 50, fits: 'M' } };
      expect(recallContext(colour, fitted, false)).toMatchObject({
        intent: 'product.stock',
        entities: { color: '黑色', size: 'M' },
      });
      expect(recallContext(named, fitted, false).entities).toEqual({
        size: 'L',
        heightCm: 165,
        weightKg: 50,
      });
      // Shown another item with it: the size that fits was the other item's.
      expect(recallContext(colour, fitted, true).entities.size).toBeUndefined();
    });
  });
});
