import { describe, expect, it } from 'vitest';
import { newConversation } from '../../src/conversations/conversation.ts';
import type { Classifier, NluResult } from '../../src/nlu/classifier.ts';
import type { IntentId } from '../../src/nlu/intent-ids.ts';
import { readMessage } from '../../src/pipeline/read-message.ts';

/** A classifier that reads each text as the table says (the Classifier port, not NLP.js). */
function classifierOf(table: Record<string, [IntentId, number, upset?: number]>): Classifier {
  return {
    async classify(text) {
      const [intent, confidence, upset = 0] = table[text] ?? ['None', 0.2];
      return {
        text,
        language: 'zh',
        intent,
        confidence,
        emotional: upset >= 0.5,
        emotionScore: upset,
        entities: {},
        alternatives: [],
      } satisfies NluResult;
    },
  };
}

describe('reading a message of several sentences', () => {
  const conversation = newConversation('c-1', 'b-1', 'generic', new Date('2026-12-06T10:00:00Z'));
  const answersItself = () => true;

  it('takes the sentence that is understood when the whole is not', async () => {
    const text = '我昨天纠结了好久颜色，朋友说黑色好看。什么时候能发货';
    const classifier = classifierOf({
      [text]: ['None', 0.4],
      我昨天纠结了好久颜色: ['None', 0.3],
      朋友说黑色好看: ['thanks', 0.7],
      什么时候能发货: ['shipping.time', 0.9],
    });
    const { whole, readings } = await readMessage(classifier, text, conversation, false, answersItself);
    expect(whole.intent).toBe('shipping.time');
    expect(readings.map((r) => r.intent)).toEqual(['shipping.time']);
  });

  it('keeps a whole that is understood, and asks again when no sentence is sure either', async () => {
    const sure = '有黑色吗，好的';
    const understood = await readMessage(
      classifierOf({
        [sure]: ['product.stock', 0.8],
        有黑色吗: ['product.stock', 0.9],
        好的: ['thanks', 0.9],
      }),
      sure,
      conversation,
      false,
      answersItself,
    );
    expect(understood.whole.intent).toBe('product.stock');
    const vague = '这个那个，就是那样';
    const unsure = await readMessage(
      classifierOf({ [vague]: ['None', 0.3], 这个那个: ['product.stock', 0.45], 就是那样: ['None', 0.2] }),
      vague,
      conversation,
      false,
      answersItself,
    );
    expect(unsure.whole.intent).toBe('None');
  });

  it('reads an upset message that names no ask as a complaint, and keeps the ask of one that does', async () => {
    const vent = await readMessage(
      classifierOf({ 好坑: ['None', 0.3, 0.8] }),
      '好坑',
      conversation,
      false,
      answersItself,
    );
    expect(vent.whole).toMatchObject({ intent: 'complaint', confidence: 0.8, emotional: true });
    const hello = await readMessage(
      classifierOf({ '你好，你们这什么态度': ['greeting', 0.7, 0.9] }),
      '你好，你们这什么态度',
      conversation,
      false,
      answersItself,
    );
    expect(hello.whole.intent).toBe('complaint');
    const ask = await readMessage(
      classifierOf({ 第三次问了到底什么时候发货: ['shipping.time', 0.8, 0.9] }),
      '第三次问了到底什么时候发货',
      conversation,
      false,
      answersItself,
    );
    expect(ask.whole).toMatchObject({ intent: 'shipping.time', emotional: true });
    const calm = await readMessage(
      classifierOf({ 嗯嗯: ['None', 0.3, 0.2] }),
      '嗯嗯',
      conversation,
      false,
      answersItself,
    );
    expect(calm.whole.intent).toBe('None');
  });

  it('reads the mood of the whole message, not of a sentence taken alone', async () => {
    const text = '说好今天发货结果显示没有预计时间，周五前能到吗';
    const { readings } = await readMessage(
      classifierOf({
        [text]: ['shipping.time', 0.8, 0.3],
        说好今天发货结果显示没有预计时间: ['order.logistics', 0.8, 0.7],
        周五前能到吗: ['shipping.time', 0.9],
      }),
      text,
      conversation,
      false,
      answersItself,
    );
    expect(readings.map((r) => [r.intent, r.emotional, r.emotionScore])).toEqual([
      ['order.logistics', false, 0.3],
      ['shipping.time', false, 0.3],
    ]);
  });
});
