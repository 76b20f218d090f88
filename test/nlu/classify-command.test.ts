import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const INTENTS = [
  'greeting',
  'product.size',
  'product.fabric',
  'product.stock',
  'product.price',
  'product.info',
  'price.discount',
  'shipping.time',
  'shipping.courier',
  'order.cancel',
  'order.change',
  'order.payment',
  'order.logistics',
  'invoice',
  'return.howto',
  'human.request',
  'complaint',
  'thanks',
  'None',
];

describe('npm run -s classify', () => {
  it('writes one JSON object a line, in input order, and nothing else on stdout', () => {
    const lines = [
      '在吗',
      '我身高163，体重100斤，穿什么码',
      'can I get an invoice for my order?',
      'quiero hablar con una persona',
      '垃圾！！！骗子，我要投诉到12315',
    ];
    const run = spawnSync('npm', ['run', '-s', 'classify'], {
      input: `${lines.join('\n')}\n`,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    expect(run.status).toBe(0);
    const out = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(lines.length);
    out.forEach((o, i) => {
      expect(Object.keys(o).sort()).toEqual([
        'confidence',
        'emotional',
        'entities',
        'handoff',
        'intent',
        'language',
        'text',
      ]);
      expect(o.text).toBe(lines[i]);
      expect(INTENTS).toContain(o.intent);
      expect(o.confidence).toBeGreaterThanOrEqual(0);
      expect(o.confidence).toBeLessThanOrEqual(1);
    });
    expect(out.map((o) => o.language)).toEqual(['zh', 'zh', 'en', 'es', 'zh']);
    expect(out[0]).toMatchObject({ intent: 'greeting', handoff: false });
    expect(out[1]).toMatchObject({ intent: 'product.size', entities: { heightCm: 163, weightKg: 50 } });
    expect(out[2]).toMatchObject({ intent: 'invoice', handoff: false });
    expect(out[3]).toMatchObject({ intent: 'human.request', handoff: true });
    expect(out[4]).toMatchObject({ emotional: true, handoff: true });
  }, 90_000);
});
