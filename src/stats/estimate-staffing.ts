import { localDate } from '../shared/zoned-time.ts';
import type { StatsRange } from './stats-store.ts';

export interface StaffingInput {
  /** Visitors (UV) expected on the day. */
  uv: number;
  /** Share of visitors who ask a question. */
  consultRate: number;
  /** Share of conversations the bot finishes without a person. */
  autoResolutionRate: number;
  /** Consultations one agent handles in a full day shift (shop practice: about 300). */
  perAgentPerDay: number;
  /** Share of the day's questions that arrive in the day shift (09:00–18:00); the rest in the night shift. */
  dayShare: number;
  dayShiftHours: number;
  nightShiftHours: number;
}

export interface StaffingEstimate {
  consultations: number;
  byBot: number;
  forPeople: number;
  dayShiftAgents: number;
  nightShiftAgents: number;
}

/** Shop practice for a big sale: questions ÷ about 300 per agent per day, counting only what the bot leaves to people. */
export function estimateStaffing(input: StaffingInput): StaffingEstimate {
  const consultations = Math.round(input.uv * input.consultRate);
  const byBot = Math.round(consultations * input.autoResolutionRate);
  const forPeople = consultations - byBot;
  const perDayAgent = input.perAgentPerDay;
  const perNightAgent = input.perAgentPerDay * (input.nightShiftHours / input.dayShiftHours);
  return {
    consultations,
    byBot,
    forPeople,
    dayShiftAgents: Math.ceil((forPeople * input.dayShare) / perDayAgent),
    nightShiftAgents: Math.ceil((forPeople * (1 - input.dayShare)) / perNightAgent),
  };
}

/** The days the staffing estimate measures the bot on: the last 30 in the shop's time zone, today included. */
export function measuredDays(now: Date, timeZone: string): StatsRange {
  return {
    from: localDate(new Date(now.getTime() - 29 * 86_400_000), timeZone),
    to: localDate(now, timeZone),
  };
}
