import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';

describe('the web chat', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => service.close());

  it('serves the page and the sample shop’s products', async () => {
    const page = await fetch(`${service.url}/chat`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/v1/chat/messages');
    const { products } = await (await fetch(`${service.url}/v1/chat/products`)).json();
    expect(products.length).toBeGreaterThanOrEqual(8);
  });

  it('answers a buyer about the product they picked, from the sample catalog', async () => {
    const conversationId = `web-${randomUUID()}`;
    const post = await fetch(`${service.url}/v1/chat/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, text: '这件是什么面料', productId: 'p-1001' }),
    });
    expect(post.status).toBe(202);
    const messages = await waitFor(async () => {
      const body = await (await fetch(`${service.url}/v1/chat/conversations/${conversationId}/messages`)).json();
      return body.messages.length >= 2 ? body.messages : undefined;
    });
    expect(messages[0]).toMatchObject({ from: 'buyer', text: '这件是什么面料' });
    expect(messages[1].from).toBe('bot');
    expect(messages[1].text).toContain('100%棉');
  });

  it('refuses an empty message or a conversation id that is not a web chat’s', async () => {
    const empty = await fetch(`${service.url}/v1/chat/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId: `web-${randomUUID()}`, text: '' }),
    });
    expect(empty.status).toBe(400);
    const other = await fetch(`${service.url}/v1/chat/conversations/c-1/messages`);
    expect(other.status).toBe(400);
  });
});
