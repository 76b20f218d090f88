import { describe, expect, it } from 'vitest';
import { parseReceptionMode, routeNewConversation } from '../../src/policy/route-new-conversation.ts';

describe('reception modes', () => {
  it('reads bot-first, people-first and split:<share>', () => {
    expect(parseReceptionMode('bot-first')).toEqual({ kind: 'bot-first' });
    expect(parseReceptionMode('people-first')).toEqual({ kind: 'people-first' });
    expect(parseReceptionMode('split:0.3')).toEqual({ kind: 'split', toPeople: 0.3 });
    expect(parseReceptionMode('split:2')).toBeUndefined();
  });

  it('gives new conversations to people first only while someone is online', () => {
    expect(routeNewConversation({ kind: 'people-first' }, 'c-1', 2)).toBe('people');
    expect(routeNewConversation({ kind: 'people-first' }, 'c-1', 0)).toBe('bot');
    expect(routeNewConversation({ kind: 'bot-first' }, 'c-1', 5)).toBe('bot');
  });

  it('splits by a stable share of conversations', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `conv-${i}`);
    const toPeople =
      ids.filter((id) => routeNewConversation({ kind: 'split', toPeople: 0.3 }, id, 3) === 'people').length /
      ids.length;
    expect(toPeople).toBeGreaterThan(0.25);
    expect(toPeople).toBeLessThan(0.35);
    expect(routeNewConversation({ kind: 'split', toPeople: 0.3 }, 'conv-7', 3)).toBe(
      routeNewConversation({ kind: 'split', toPeople: 0.3 }, 'conv-7', 3),
    );
  });
});
