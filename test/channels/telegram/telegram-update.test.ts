import { describe, expect, it } from 'vitest';
import { readTelegramUpdate } from '../../../src/channels/telegram/telegram-update.ts';
import { ValidationError } from '../../../src/shared/errors.ts';

const message = (text: string | undefined, from: object = {}, chatId = 4242) => ({
  update_id: 7,
  message: {
    message_id: 1,
    date: 1_796_000_000,
    chat: { id: chatId, type: 'private' },
    from: { id: 99, is_bot: false, first_name: 'Lin', ...from },
    ...(text === undefined ? {} : { text }),
  },
});

describe('reading a Telegram update', () => {
  it('reads a text message as a buyer message of the chat', () => {
    expect(readTelegramUpdate(message('多少钱', {}, -1001234567890))).toEqual([
      {
        messageId: '7',
        conversationId: 'telegram:-1001234567890',
        buyer: { id: '99', name: 'Lin' },
        text: '多少钱',
        sentAt: new Date(1_796_000_000_000).toISOString(),
      },
    ]);
  });

  it.each([
    ['/start t-1', 'zh-hans', '你好', 't-1'],
    ['/start', 'es', 'hola', undefined],
    ['/start@shop_bot SKU_42-b', undefined, 'hello', 'SKU_42-b'],
    ['  /start t-1  ', 'en', 'hello', 't-1'],
  ])('reads %j (app language %s) as the greeting %j about %s', (text, language, greeting, productId) => {
    const [read] = readTelegramUpdate(message(text, language ? { language_code: language } : {}));
    expect(read?.text).toBe(greeting);
    expect(read?.productId).toBe(productId);
  });

  it('takes a payload Telegram would not send as text, never as a product id', () => {
    const [read] = readTelegramUpdate(message('/start a/b'));
    expect(read).toMatchObject({ text: '/start a/b' });
    expect(read?.productId).toBeUndefined();
  });

  it("reads a long message's first 2,000 characters", () => {
    expect(readTelegramUpdate(message('长'.repeat(4096)))[0]?.text).toHaveLength(2000);
  });

  it('finds no buyer message in a photo, a bot, a blank text or another kind of update', () => {
    expect(readTelegramUpdate(message(undefined))).toEqual([]);
    expect(readTelegramUpdate(message('hi', { is_bot: true }))).toEqual([]);
    expect(readTelegramUpdate(message(' \u200b\u0007 '))).toEqual([]);
    expect(readTelegramUpdate({ update_id: 8, callback_query: { id: 'x' } })).toEqual([]);
  });

  it('refuses what is not an update', () => {
    for (const body of [
      {},
      { update_id: -1 },
      { update_id: 'x' },
      [],
      null,
      { update_id: 1, message: { text: 'no chat' } },
    ])
      expect(() => readTelegramUpdate(body)).toThrow(ValidationError);
  });
});
