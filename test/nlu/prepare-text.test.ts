import { describe, expect, it } from 'vitest';
import { isOnlyDecoration, prepareForIntent } from '../../src/nlu/prepare-text.ts';

describe('what the intent models read of a message', () => {
  it.each([
    ['你好，我想问下什么时候发货', 'zh', '什么时候发货'],
    ['亲 在吗 有没有黑色', 'zh', '有没有黑色'],
    ['我想在问一下，可不可以机洗', 'zh', '可不可以机洗'],
    ['咨询一下这个保修多久', 'zh', '这个保修多久'],
    ['咨询下单后多久发货', 'zh', '咨询下单后多久发货'],
    ['我想了解一下这个保修多久', 'zh', '这个保修多久'],
    ['在吗', 'zh', '在吗'],
    ['有没有黑色的 人在吗', 'zh', '有没有黑色的'],
    ['什么时候发货在不在', 'zh', '什么时候发货'],
    ['老板在不在', 'zh', '老板在不在'],
    ['满减活动还在吗', 'zh', '满减活动还在吗'],
    ['优惠券还在不在？', 'zh', '优惠券还在不在？'],
    ['你好', 'zh', '你好'],
    ['hi there, how long does shipping take?', 'en', 'how long does shipping take?'],
    ['hello mam', 'en', 'hello mam'],
    ['@shopname hi where is my order', 'en', 'where is my order'],
    ['hola, ¿tienen la talla M?', 'es', '¿tienen la talla M?'],
    ['Buenas tardes amigo cuanto cuesta', 'es', 'cuanto cuesta'],
  ] as const)('takes the greeting off a question: %s', (text, lang, read) => {
    expect(prepareForIntent(text, lang)).toBe(read);
  });

  it('keeps a thanks after a statement, and drops one after a question', () => {
    expect(prepareForIntent('arrived today, thank you!', 'en')).toBe('arrived today, thank you!');
    expect(prepareForIntent('when does it ship? thanks', 'en')).toBe('when does it ship?');
    expect(prepareForIntent('什么时候发货？谢谢', 'zh')).toBe('什么时候发货？');
  });

  it('reads placeholders, separators, links and spaced-out Chinese as what they stand for', () => {
    expect(prepareForIntent('这个 上午 买 的 [ 金额 x ] 现在 怎么 降价 了', 'zh')).toBe(
      '这个上午买的 1 现在怎么降价了',
    );
    expect(prepareForIntent('好的[微笑]', 'zh')).toBe('好的');
    expect(prepareForIntent('[抱拳]', 'zh')).toBe('[抱拳]');
    expect(prepareForIntent('地址错了!@@@!重新下了个单', 'zh')).toBe('地址错了。重新下了个单');
    expect(prepareForIntent('https://item.taobao.com/item.htm?id=612345678901 这个多少钱', 'zh')).toBe(
      '这个多少钱',
    );
  });

  it('knows a bare link (with stickers at most) from a link with a question', () => {
    expect(isOnlyDecoration('https://item.taobao.com/item.htm?id=612345678901')).toBe(true);
    expect(isOnlyDecoration('https://m.tb.cn/h.abc [微笑]')).toBe(true);
    expect(isOnlyDecoration('https://m.tb.cn/h.abc 有M码吗')).toBe(false);
    expect(isOnlyDecoration('[微笑]')).toBe(false);
  });
});
