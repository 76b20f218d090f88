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

  it('leaves two questions typed without punctuation together: "有黑色吗要M码的" says one thing', () => {
    expect(splitQuestions('有黑色吗要M码的')).toEqual(['有黑色吗要M码的']);
  });

  it('keeps a piece too short to be a question with the one before it', () => {
    expect(splitQuestions('有黑色吗，亲')).toEqual(['有黑色吗 亲']);
  });
});
