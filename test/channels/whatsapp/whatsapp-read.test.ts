import { describe, expect, it } from 'vitest';
import { readWhatsAppWebhook } from '../../../src/channels/whatsapp/whatsapp-webhook.ts';
import { ValidationError } from '../../../src/shared/errors.ts';

const value = (messages: unknown[], phoneNumberId = '42') => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'waba',
      changes: [
        {
          field: 'messages',
          value: {
            metadata: { phone_number_id: phoneNumberId },
            contacts: [
              { wa_id: '34600111222', profile: { name: 'Lucía' } },
              { wa_id: '34600333444', profile: { name: 'Pablo' } },
            ],
            messages,
          },
        },
      ],
    },
  ],
});
const text = (from: string, body: string, extra: object = {}) => ({
  from,
  id: `wamid.${from}`,
  timestamp: '1796000000',
  type: 'text',
  text: { body },
  ...extra,
});

const messagesIn = (json: unknown, phoneNumberId: string) =>
  readWhatsAppWebhook(json, phoneNumberId).messages;

describe('reading a WhatsApp webhook', () => {
  it('reads every text message to the shop number, each with its sender’s name', () => {
    const read = messagesIn(
      value([text('34600111222', '¿Tenéis la talla M?'), text('34600333444', 'hola')]),
      '42',
    );
    expect(read).toEqual([
      {
        messageId: 'wamid.34600111222',
        conversationId: 'whatsapp:42:34600111222',
        buyer: { id: '34600111222', name: 'Lucía' },
        text: '¿Tenéis la talla M?',
        sentAt: new Date(1_796_000_000_000).toISOString(),
      },
      expect.objectContaining({
        conversationId: 'whatsapp:42:34600333444',
        buyer: { id: '34600333444', name: 'Pablo' },
      }),
    ]);
  });

  it('takes the product a buyer asked about from a catalog message', () => {
    const [read] = messagesIn(
      value([
        text('34600111222', '¿Y en azul?', {
          context: { referred_product: { catalog_id: 'c', product_retailer_id: 'p-1001' } },
        }),
      ]),
      '42',
    );
    expect(read?.productId).toBe('p-1001');
  });

  it('finds nothing to answer in images, reactions, blank texts or messages to another number', () => {
    expect(
      messagesIn(
        value([
          { from: '1', id: 'wamid.i', timestamp: '1', type: 'image', image: { id: 'x' } },
          { from: '1', id: 'wamid.r', timestamp: '1', type: 'reaction', reaction: { emoji: '👍' } },
          text('1', ' \u200b '),
        ]),
        '42',
      ),
    ).toEqual([]);
    expect(messagesIn(value([text('1', 'hola')], '43'), '42')).toEqual([]);
  });

  it('refuses what is not a webhook', () => {
    for (const body of [
      {},
      { entry: 'x' },
      { entry: [{ changes: [{ value: { messages: [{ id: 'x' }] } }] }] },
      null,
    ])
      expect(() => messagesIn(body, '42')).toThrow(ValidationError);
  });

  it('notes every message of a buyer for the reply window, of any type', () => {
    const { wrote } = readWhatsAppWebhook(
      value([
        { from: '34600111222', id: 'wamid.i', timestamp: '1796000000', type: 'image', image: { id: 'x' } },
      ]),
      '42',
    );
    expect(wrote).toEqual([{ conversationId: 'whatsapp:42:34600111222', at: new Date(1_796_000_000_000) }]);
  });
});
