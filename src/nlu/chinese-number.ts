const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  幺: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100 };

/** 一百一十 → 110, 九十五 → 95, 十二 → 12, 一六五 → 165; undefined when it is not a number. */
export function parseChineseNumber(text: string): number | undefined {
  if (!text) return undefined;
  if (![...text].some((c) => c in UNITS)) {
    let value = 0;
    for (const c of text) {
      const d = DIGITS[c];
      if (d === undefined) return undefined;
      value = value * 10 + d;
    }
    return value;
  }
  let total = 0;
  let current = 0;
  let lastUnit = 1000;
  for (const c of text) {
    const d = DIGITS[c];
    const unit = UNITS[c];
    if (d !== undefined) current = d;
    else if (unit !== undefined) {
      total += (current === 0 ? 1 : current) * unit;
      current = 0;
      lastUnit = unit;
    } else return undefined;
  }
  // 一百一 means 110: a trailing digit after 百 counts as tens
  if (current > 0) total += lastUnit === 100 ? current * 10 : current;
  return total;
}
