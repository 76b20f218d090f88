import { describe, expect, it } from 'vitest';
import { answerContext } from '../../src/answers/answer-context.ts';
import { loadJsonCatalog } from '../../src/catalog/json-catalog.ts';
import type { Language } from '../../src/shared/language.ts';
import { FIXTURE_CATALOG } from '../helpers/service.ts';

const catalog = loadJsonCatalog(FIXTURE_CATALOG);
const TZ = 'Asia/Shanghai';

function wait(language: Language, now: string, input: { minutes?: number; backAt?: string }) {
  const context = answerContext({
    catalog,
    language,
    facts: { activePromotions: 0, hasFreeShipping: false },
    entities: {},
    now: new Date(now),
    timeZone: TZ,
    wait: {
      ...(input.minutes !== undefined ? { minutes: input.minutes } : {}),
      ...(input.backAt ? { backAt: new Date(input.backAt) } : {}),
    },
  });
  return context.wait as { duration?: string; backAt?: string };
}

describe('the wait as the notice says it', () => {
  it.each([
    ['en', 1, '1 minute'],
    ['en', 3, '3 minutes'],
    ['es', 1, '1 minuto'],
    ['es', 4, '4 minutos'],
    ['zh', 2, '2分钟'],
  ] as const)('%s, %i minutes: %s', (language, minutes, phrase) => {
    expect(wait(language, '2026-11-11T10:00:00+08:00', { minutes }).duration).toBe(phrase);
  });

  it.each([
    ['zh', '2026-11-11T23:30:00+08:00', '2026-11-12T09:00:00+08:00', '明天 09:00'],
    ['en', '2026-11-11T23:30:00+08:00', '2026-11-12T09:00:00+08:00', 'tomorrow at 09:00'],
    ['es', '2026-11-12T01:00:00+08:00', '2026-11-12T09:00:00+08:00', 'hoy a las 09:00'],
    // Friday night before a Monday opening: the weekday, in the buyer’s language.
    ['es', '2026-11-13T23:00:00+08:00', '2026-11-16T09:00:00+08:00', 'el lunes a las 09:00'],
    ['en', '2026-11-13T23:00:00+08:00', '2026-11-16T09:00:00+08:00', 'on Monday at 09:00'],
  ] as const)('%s at %s, back %s: %s', (language, now, backAt, phrase) => {
    expect(wait(language, now, { backAt }).backAt).toBe(phrase);
  });
});
