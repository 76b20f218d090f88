import { describe, expect, it } from 'vitest';
import { handoffPriority, queueScore, transition, type Handoff } from '../../src/desk/handoff.ts';

const now = new Date('2026-11-11T10:00:00Z');
const lease = new Date('2026-11-11T10:05:00Z');
const waiting: Handoff = {
  id: 'h1',
  conversationId: 'c1',
  buyerId: 'b1',
  channel: 'generic',
  language: 'zh',
  reason: 'human.request',
  intent: 'human.request',
  priority: 3,
  state: 'waiting',
  createdAt: '2026-11-11T09:59:00Z',
  events: [],
};
const claimedBy = (agent: string): Handoff => {
  const r = transition(waiting, { kind: 'claim', agent, leaseUntil: lease }, now);
  if (r.kind !== 'ok') throw new Error('claim failed');
  return r.handoff;
};

describe('the hand-off state table', () => {
  it('claims a waiting hand-off for the agent, with a lease', () => {
    expect(claimedBy('ann')).toMatchObject({
      state: 'claimed',
      claimedBy: 'ann',
      leaseUntil: lease.toISOString(),
      firstClaimedAt: now.toISOString(),
    });
  });

  it('refuses a second claim of a claimed hand-off', () => {
    expect(transition(claimedBy('ann'), { kind: 'claim', agent: 'bo', leaseUntil: lease }, now)).toEqual({
      kind: 'refused',
      reason: 'wrong-state',
    });
  });

  it('lets only the holder reply, release, transfer or resolve', () => {
    for (const action of [
      { kind: 'reply', agent: 'bo', leaseUntil: lease },
      { kind: 'release', agent: 'bo' },
      { kind: 'transfer', agent: 'bo', to: 'cy', leaseUntil: lease },
      { kind: 'resolve', agent: 'bo' },
    ] as const) {
      expect(transition(claimedBy('ann'), action, now)).toEqual({ kind: 'refused', reason: 'not-yours' });
    }
  });

  it('puts an expired or released claim back to waiting without its agent', () => {
    for (const action of [{ kind: 'expire' }, { kind: 'release', agent: 'ann' }] as const) {
      const r = transition(claimedBy('ann'), action, now);
      expect(r.kind === 'ok' && r.handoff).toMatchObject({ state: 'waiting' });
      expect(r.kind === 'ok' && r.handoff.claimedBy).toBeUndefined();
    }
  });

  it('records the first agent reply once, and resolves with the corrected intent', () => {
    const first = transition(claimedBy('ann'), { kind: 'reply', agent: 'ann', leaseUntil: lease }, now);
    const later =
      first.kind === 'ok'
        ? transition(
            first.handoff,
            { kind: 'reply', agent: 'ann', leaseUntil: lease },
            new Date('2026-11-11T10:03:00Z'),
          )
        : first;
    expect(later.kind === 'ok' && later.handoff.firstAgentReplyAt).toBe(now.toISOString());
    const resolved =
      later.kind === 'ok'
        ? transition(later.handoff, { kind: 'resolve', agent: 'ann', intent: 'invoice' }, now)
        : later;
    expect(resolved.kind === 'ok' && resolved.handoff).toMatchObject({
      state: 'resolved',
      resolvedBy: 'ann',
      resolvedIntent: 'invoice',
    });
  });

  it('allows nothing once resolved', () => {
    const r = transition(claimedBy('ann'), { kind: 'resolve', agent: 'ann' }, now);
    const resolved = r.kind === 'ok' ? r.handoff : waiting;
    expect(transition(resolved, { kind: 'claim', agent: 'bo', leaseUntil: lease }, now)).toEqual({
      kind: 'refused',
      reason: 'wrong-state',
    });
  });

  it('puts emotional buyers and complaints first, then returning buyers and big orders', () => {
    expect(
      handoffPriority({
        channel: 'generic',
        reason: 'emotional',
        intent: 'order.logistics',
        returningBuyer: false,
        highValue: false,
      }),
    ).toBe(1);
    expect(
      handoffPriority({
        channel: 'generic',
        reason: 'complaint',
        intent: 'complaint',
        returningBuyer: false,
        highValue: false,
      }),
    ).toBe(1);
    expect(
      handoffPriority({
        channel: 'generic',
        reason: 'human.request',
        intent: 'human.request',
        returningBuyer: true,
        highValue: false,
      }),
    ).toBe(2);
    expect(
      handoffPriority({
        channel: 'generic',
        reason: 'high-value-order',
        intent: 'order.cancel',
        returningBuyer: false,
        highValue: true,
      }),
    ).toBe(2);
    expect(
      handoffPriority({
        channel: 'generic',
        reason: 'human.request',
        intent: 'human.request',
        returningBuyer: false,
        highValue: false,
      }),
    ).toBe(3);
  });

  it('puts every web chat hand-off in the last lane, however urgent it sounds', () => {
    expect(
      handoffPriority({
        channel: 'web',
        reason: 'emotional',
        intent: 'complaint',
        returningBuyer: true,
        highValue: true,
      }),
    ).toBe(4);
    const oldWeb = queueScore({ priority: 4, createdAt: '2026-11-11T09:00:00Z' });
    const new3 = queueScore({ priority: 3, createdAt: '2026-11-11T10:00:00Z' });
    expect(new3).toBeLessThan(oldWeb);
  });

  it('orders the queue by priority, then age', () => {
    const old3 = queueScore({ priority: 3, createdAt: '2026-11-11T09:00:00Z' });
    const new1 = queueScore({ priority: 1, createdAt: '2026-11-11T10:00:00Z' });
    const new3 = queueScore({ priority: 3, createdAt: '2026-11-11T10:00:00Z' });
    expect([new3, old3, new1].sort((a, b) => a - b)).toEqual([new1, old3, new3]);
  });
});
