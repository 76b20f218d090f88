import { describe, expect, it } from 'vitest';
import { checkOutbound } from '../../src/guard/check-outbound.ts';

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
});
