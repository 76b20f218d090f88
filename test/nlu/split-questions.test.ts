import { describe, expect, it } from 'vitest';
import { splitQuestions } from '../../src/nlu/split-questions.ts';

describe('splitQuestions', () => {
  it('splits at punctuation and at words that join two questions', () => {
    expect(splitQuestions('有黑色吗，什么时候发货')).toEqual(['有黑色吗', '什么时候发货']);
    expect(splitQuestions('do you have it in black? also when does it ship')).toEqual([
      'do you have it in black',
      'when does it ship',
    ]);
  });

  it('splits after a 吗 that more words follow, as buyers type without punctuation', () => {
    expect(splitQuestions('是正品吗鞋码是标准的吗')).toEqual(['是正品吗', '鞋码是标准的吗']);
    expect(splitQuestions('干吗还不发货')).toEqual(['干吗还不发货']);
    expect(splitQuestions('有黑色吗')).toEqual(['有黑色吗']);
  });

  it('keeps a piece too short to be a question with the one before it', () => {
    expect(splitQuestions('有黑色吗，亲')).toEqual(['有黑色吗 亲']);
  });
});
