import { describe, expect, it } from 'vitest';
import { parseChineseNumber } from '../../src/nlu/chinese-number.ts';

describe('parseChineseNumber', () => {
  it('reads hundreds with tens', () => {
    expect(parseChineseNumber('一百一十')).toBe(110);
  });

  it('reads a trailing digit after 百 as tens', () => {
    expect(parseChineseNumber('一百一')).toBe(110);
  });

  it('reads tens with units', () => {
    expect(parseChineseNumber('九十五')).toBe(95);
  });

  it('reads 十 without a leading digit as ten', () => {
    expect(parseChineseNumber('十二')).toBe(12);
  });

  it('reads digits spoken one by one as a positional number', () => {
    expect(parseChineseNumber('一六五')).toBe(165);
  });

  it('reads 两 as two', () => {
    expect(parseChineseNumber('两百')).toBe(200);
  });

  it('returns undefined for text that is not a Chinese number', () => {
    expect(parseChineseNumber('abc')).toBeUndefined();
    expect(parseChineseNumber('一百x')).toBeUndefined();
    expect(parseChineseNumber('黑色')).toBeUndefined();
  });

  it('returns undefined for an empty string', () => {
    expect(parseChineseNumber('')).toBeUndefined();
  });
});
