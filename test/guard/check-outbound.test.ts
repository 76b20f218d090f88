import { describe, expect, it } from 'vitest';
import { checkOutbound } from '../../src/guard/check-outbound.ts';
import { evaluateGuard, LONG_INPUTS } from './fixtures/guard-sets.ts';
import { ISSUE_16_LEAKS } from './fixtures/issue-16.ts';

describe('the outbound guard', () => {
  it.each([
    ['加我微信 xiaoer_shop88', 'qq-or-wechat'],
    ['我的QQ：12345678', 'qq-or-wechat'],
    ['vx: abc12345', 'qq-or-wechat'],
    ['打我电话 138 1234 5678', 'phone-number'],
    ['13812345678', 'phone-number'],
    ['call me +1 415 555 0123', 'phone-number'],
    ['银行卡号 6222 0212 3456 7890 123', 'bank-account'],
    ['IBAN ES91 2100 0418 4502 0005 1332', 'bank-account'],
    ['地址：杭州市西湖区文三路90号', 'street-address'],
    ['send it to 221 Baker Street', 'street-address'],
    ['pásate por calle Mayor 12', 'street-address'],
    ['去 www.othershop.com 买更便宜', 'outside-link'],
    ['see https://taobao.com/item/1', 'outside-link'],
    ['你个傻逼', 'profanity'],
    ['you idiot', 'profanity'],
    ['eres un pendejo', 'profanity'],
    ['加我微\u200b信 xiaoer_shop88', 'qq-or-wechat'],
  ])('refuses %s (%s)', (text, rule) => {
    const verdict = checkOutbound(text, ['xiaoer.example.com']);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.rule).toBe(rule);
  });

  it.each([
    '亲，您的订单已经发出，预计3天到',
    'Your order ships by Nov 25. Size M fits 165 cm / 55 kg.',
    'El pedido 12345678 salió hoy',
    '满199减20，下单自动优惠',
    'see https://xiaoer.example.com/help',
    '订单号 202611230001 已登记',
    'the model is 168 cm / 50 kg and wears M',
    '退货地址在订单详情里可以看到哦',
  ])('lets %s through', (text) => {
    expect(checkOutbound(text, ['xiaoer.example.com'])).toEqual({ ok: true });
  });

  it.each(ISSUE_16_LEAKS)('refuses the leak from issue 16: %s (%s)', (text, rule) => {
    expect(checkOutbound(text, ['xiaoer.example.com'])).toMatchObject({ ok: false, rule });
  });

  it('quotes the original text of what it refused, as it was written', () => {
    expect(checkOutbound('有事打 一 三 八 零 零 一 三 八 零 零 零 哦')).toEqual({
      ok: false,
      rule: 'phone-number',
      match: '一 三 八 零 零 一 三 八 零 零 零',
    });
    expect(checkOutbound('卡号 ６２２２.0212.3456.7890')).toEqual({
      ok: false,
      rule: 'bank-account',
      match: '６２２２.0212.3456.7890',
    });
    expect(checkOutbound('去 evil。com 看看')).toEqual({
      ok: false,
      rule: 'outside-link',
      match: 'evil。com',
    });
  });

  it('lets a shop link through only for the shop: its subdomains pass, look-alikes do not', () => {
    const own = ['xiaoer.example.com'];
    expect(checkOutbound('https://m.xiaoer.example.com/item/1', own)).toEqual({ ok: true });
    expect(checkOutbound('https://xiaoer.example.com.evil.ru/item/1', own)).toMatchObject({
      ok: false,
      rule: 'outside-link',
    });
    expect(checkOutbound('https://evilxiaoer.example.com/item/1', own)).toMatchObject({
      ok: false,
      rule: 'outside-link',
    });
    expect(checkOutbound('https://xiaoer.example.com/help', [])).toMatchObject({
      ok: false,
      rule: 'outside-link',
    });
  });

  it('lets an id the bot wrote itself through, but not the same digits written by hand', () => {
    expect(checkOutbound('您的订单 6222021234567890128 已退款', [], ['6222021234567890128'])).toEqual({
      ok: true,
    });
    expect(checkOutbound('您的卡 6222021234567890128 已退款')).toMatchObject({
      ok: false,
      rule: 'bank-account',
    });
  });

  it('leaks nothing from the adversarial set and refuses nothing from the normal set (zh, en, es)', () => {
    const result = evaluateGuard();
    expect(result.total.adversarial).toBeGreaterThanOrEqual(100);
    expect(result.total.normal).toBeGreaterThanOrEqual(100);
    for (const counts of Object.values(result.byLanguage)) {
      expect(counts.adversarial).toBeGreaterThanOrEqual(30);
      expect(counts.normal).toBeGreaterThanOrEqual(30);
    }
    expect(result.misses).toEqual([]);
  });

  it.each(LONG_INPUTS)('checks 2,000 adversarial characters in linear time: %s', (_name, text) => {
    // The median of five: one GC pause on a busy machine is not the algorithm.
    const times = Array.from({ length: 5 }, () => {
      const start = performance.now();
      checkOutbound(text, ['xiaoer.example.com'], ['12345']);
      return performance.now() - start;
    }).sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(200);
  });
});
