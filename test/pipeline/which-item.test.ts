import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { SECRET, startTestService, talk, type TestService } from '../helpers/service.ts';

/** "Which item?" in the 10-item sample shop: the items the buyer's words fit, and a reply that names one picks it. */
describe('asking which item, through the webhook', () => {
  const channel = new FakeChannel(SECRET);
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ CHANNEL_SEND_URL: await channel.start(), WORK_HOURS: '00:00-24:00' });
  });
  afterAll(async () => {
    await service.close();
    await channel.stop();
  });

  it('lists only the items the buyer’s words fit', async () => {
    const [ask] = await talk(service, channel, ['T恤有黑色吗'], '');
    expect(ask).toMatch(/男款纯棉圆领短袖T恤/);
    expect(ask).toMatch(/女款修身弹力短袖T恤/);
    expect(ask).not.toMatch(/牛仔裤|卫衣/);
  });

  it('lists every item when the words fit none, not the first five, and takes the one the reply names', async () => {
    const [ask, answer] = await talk(service, channel, ['what is it made of?', 'the hoodie'], '');
    expect(ask).toMatch(/Which item/);
    expect(ask).toMatch(/Men's stretch casual trousers/); // the tenth
    expect(answer).toMatch(/fleece-lined hoodie/);
    expect(answer).toMatch(/cotton/);
    const [es] = await talk(service, channel, ['¿la sudadera es de algodón?'], '');
    expect(es).toMatch(/Sudadera con capucha/);
    // plurals and singulars of the item's kind
    const [jackets] = await talk(service, channel, ['do the jackets come in black?'], '');
    expect(jackets).toMatch(/hooded white duck down jacket/);
    const [pantalones] = await talk(service, channel, ['¿cuánto cuestan los pantalones?'], '');
    expect(pantalones).toMatch(/Pantalón casual elástico/);
  });

  it('answers the question asked before "which item?" once the item is named: a fact, or an FAQ entry', async () => {
    const [, stretch] = await talk(service, channel, ['有弹力吗', '卫衣'], '');
    expect(stretch).toMatch(/男款加绒连帽卫衣」是微弹的/);
    const [, hood] = await talk(service, channel, ['帽子能拆吗', '羽绒服'], '');
    expect(hood).toMatch(/帽子是拉链连接的/);
  });
});
