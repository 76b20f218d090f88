import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/stats/prom-metrics.ts';

describe('docs/grafana-dashboard.json', () => {
  it('reads only metrics xiaoer exports', async () => {
    const dashboard = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const metrics = createMetrics({ inbound: { counts: async () => ({}) } });
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/xiaoer_\w+/g) ?? []));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
    // The outcome figures are there, each in some panel.
    for (const name of [
      'xiaoer_wait_breaches_total',
      'xiaoer_satisfaction_score_sum',
      'xiaoer_unanswered_total',
      'xiaoer_bot_answered_conversations_total',
      'xiaoer_bot_not_resolved_total',
      'xiaoer_not_understood_total',
    ])
      expect(used).toContain(name);
  });
});
