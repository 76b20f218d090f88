import { describe, expect, it } from 'vitest';
import { talk, useTestService } from '../helpers/service.ts';

/** The 10-item sample shop through the webhook: asking which item, and every typed fact. */
describe('the sample shop, through the webhook', () => {
  const { service, channel } = useTestService({ WORK_HOURS: '00:00-24:00' });

  /** "Which item?": the items the buyer's words fit, and a reply that names one picks it. */
  describe('asking which item', () => {
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

  /** Each typed fact: one item that has it one way, another the other way. */
  describe('typed facts answered yes and no', () => {
    it.each([
      ['有弹力吗', 'p-1004', /是微弹的/],
      ['有弹力吗', 'p-1001', /没有弹力/],
      ['厚不厚', 'p-1004', /是厚款/],
      ['厚不厚', 'p-1007', /是薄款/],
      ['透不透', 'p-1003', /会有点透/],
      ['透不透', 'p-1007', /不透的/],
      ['有内衬吗', 'p-1004', /全里衬/],
      ['有内衬吗', 'p-1003', /没有内衬/],
      ['会起球吗', 'p-1001', /不容易起球/],
      ['会起球吗', 'p-1009', /会有少量起球/],
      ['会缩水吗', 'p-1005', /轻微缩水/],
      ['会缩水吗', 'p-1009', /会有一定缩水/],
      ['能机洗吗', 'p-1004', /可以直接机洗/],
      ['能机洗吗', 'p-1009', /建议手洗/],
      ['可以熨烫吗', 'p-1001', /可以熨烫/],
      ['可以熨烫吗', 'p-1008', /不能熨烫/],
      ['产地是哪里', 'p-1001', /产地是中国浙江/],
      ['有保修吗', 'p-1008', /30天内包换/],
      ['is it stretchy?', 'p-1002', /very stretchy/],
      ['¿se puede planchar?', 'p-1008', /no se debe planchar/],
      ['will the wool itch me?', 'p-1009', /barely itches/],
    ])('%s (%s)', async (question, productId, answer) => {
      const [reply] = await talk(service, channel, [question], productId);
      expect(reply).toMatch(answer);
    });

    it('does not answer a question about the wool with the entry about the wool itching', async () => {
      const [reply] = await talk(service, channel, ['are the sweaters wool?'], 'p-1009');
      expect(reply).not.toMatch(/itch/);
    });

    it('hands over a fact the item does not have, without a guess', async () => {
      const [reply] = await talk(service, channel, ['有保修吗'], 'p-1006');
      expect(reply).toMatch(/同事核实/);
    });
  });
});
