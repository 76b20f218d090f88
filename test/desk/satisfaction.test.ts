import { describe, expect, it } from 'vitest';
import { readSatisfaction } from '../../src/desk/satisfaction.ts';

describe('reading a satisfaction score', () => {
  it.each([
    ['5', 5],
    ['１', 1],
    ['给5分', 5],
    ['4分，谢谢', 4],
    ['3 stars', 3],
    ['4/5', 4],
    ['un 5, gracias', 5],
    ['⭐⭐⭐⭐', 4],
    ['五星', 5],
    ['三分吧', 3],
    ['非常满意', 5],
    ['满意', 4],
    ['满意，谢谢', 4],
    ['一般', 3],
    ['还行吧', 3],
    ['不满意', 2],
    ['非常不满意！', 1],
    ['satisfied', 4],
    ['Very satisfied, thanks!', 5],
    ['not satisfied', 2],
    ['dissatisfied', 2],
    ['terrible', 1],
    ['so-so', 3],
    ['excellent', 5],
    ['muy bien', 5],
    ['bien', 4],
    ['regular', 3],
    ['mal', 2],
    ['pésimo', 1],
    ['no muy bien', 2],
  ])('%s → %i', (text, score) => {
    expect(readSatisfaction(text)).toBe(score);
  });

  it.each([
    '一般几天能到',
    '满意吗',
    '发什么快递',
    'when will it ship',
    'is it good?',
    '¿cómo lo devuelvo?',
    '6',
    '0',
    '12',
    'order 3 has not arrived yet',
    '好的',
    'ok',
    '',
    '满意'.repeat(30),
    // A score word inside a message is a message.
    '不好意思，我的快递还没到',
    '不好意思，再问一下',
    '还可以再便宜点',
    '我一般穿M码',
    '不错，再买一件黑色M码',
    'good morning, my parcel',
    'nice, also need an invoice',
    'great, send me the red one too',
    'bien, necesito factura',
    'hola, el pedido llegó mal',
    '1/5到的货',
    '⭐⭐⭐ but the zipper broke',
  ])('%s is a message, not a score', (text) => {
    expect(readSatisfaction(text)).toBeUndefined();
  });
});
