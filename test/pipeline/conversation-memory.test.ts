import { describe, expect, it } from 'vitest';
import { FIXTURE_CATALOG, talk as talkThrough, useTestService } from '../helpers/service.ts';

describe('follow-ups and two questions, through the webhook', () => {
  const { service, channel } = useTestService({ CATALOG_FILE: FIXTURE_CATALOG });

  const talk = (lines: string[], productId?: string) => talkThrough(service, channel, lines, productId);

  it('answers 那M呢 about the size after a stock question', async () => {
    const [first, second] = await talk(['L码还有货吗', '那M呢']);
    expect(first).toMatch(/L码暂时断货/);
    expect(second).toMatch(/M码有货/);
  });

  it('answers 黑色呢 and 红色呢 about colours after a colour question', async () => {
    const [, black, red] = await talk(['有白色的吗', '黑色呢', '红色呢']);
    expect(black).toMatch(/有黑色的/);
    expect(red).toMatch(/没有这个颜色/);
  });

  it('answers "and in black?" in English and "y en rojo?" in Spanish', async () => {
    const [, en] = await talk(['do you have it in white?', 'and in black?']);
    expect(en).toMatch(/comes in black/);
    const [, es] = await talk(['¿lo tienen en blanco?', 'y en rojo?']);
    expect(es).toMatch(/no viene en ese color/);
  });

  it('answers 新疆呢 with that region’s delivery days after a delivery question', async () => {
    const [, region] = await talk(['一般几天能到', '新疆呢']);
    expect(region).toMatch(/新疆一般5–8天/);
  });

  it('answers both questions of 有黑色吗，什么时候发货', async () => {
    const [reply] = await talk(['有黑色吗，什么时候发货']);
    expect(reply).toMatch(/有黑色的/);
    expect(reply).toMatch(/3天内发货/);
  });
});
