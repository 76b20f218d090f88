import { describe, expect, it } from 'vitest';
import { checkOutbound } from '../../src/guard/check-outbound.ts';
import { rememberVerdicts } from '../../src/guard/remember-verdicts.ts';
import { OWN_SETS } from './fixtures/guard-sets.ts';

const texts = [...OWN_SETS.adversarial.map((a) => a.text), ...OWN_SETS.normal.map((n) => n.text)];
const direct = (text: string, knownIds: readonly string[] = []) =>
  checkOutbound(text, OWN_SETS.ownDomains, knownIds);

describe('remembered guard verdicts', () => {
  it('give the same verdict as a full check, the first time and every time after', () => {
    const check = rememberVerdicts(direct, 50);
    for (let round = 0; round < 3; round += 1) {
      for (const text of texts) expect(check(text)).toEqual(direct(text));
    }
  });

  it('keep the ids the bot put in the text apart: the same text with and without them', () => {
    const check = rememberVerdicts(direct);
    const text = '您的编号 13812345678 已登记';
    const withoutId = direct(text);
    expect(check(text, ['13812345678'])).toEqual({ ok: true });
    expect(check(text)).toEqual(withoutId);
    expect(withoutId.ok).toBe(false);
  });

  it('run the full check once per text while it is remembered, and forget at capacity', () => {
    let checks = 0;
    const check = rememberVerdicts((text, ids) => {
      checks += 1;
      return direct(text, ids);
    }, 3);
    for (const text of ['a', 'b', 'c', 'a', 'b', 'c']) check(text);
    expect(checks).toBe(3);
    check('d'); // full: forgets a, b and c
    check('a');
    expect(checks).toBe(5);
  });
});
