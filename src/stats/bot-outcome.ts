/**
 * What the bot's answers in a conversation came to, for the shop's honest figures: on each day a
 * conversation is answered by the bot it counts once as answered (involvement), and it is
 * resolved unless, within OUTCOME_WINDOW_MS of one of the bot's answers, it was handed to a
 * person, the buyer wrote upset or asked the same again, or a clarifying question the bot asked
 * was never answered. An answer younger than the window with no such sign is still open.
 */
export const OUTCOME_WINDOW_MS = 30 * 60_000;

/** Why a conversation the bot answered does not count as resolved; the stronger sign wins. */
export type BotMark = 'handoff' | 'unhappy' | 'clarify';
const STRENGTH: Record<BotMark, number> = { clarify: 1, unhappy: 2, handoff: 3 };

/** Kept on the conversation: the day and time of the bot's latest answer, the question it answered, its mark. */
export interface BotOutcomeState {
  /** The shop's day (YYYY-MM-DD) the conversation counts on. */
  day: string;
  /** The bot's latest answer, ISO. */
  at: string;
  /** The question it answered, as `repeatKey` reads it. */
  question: string;
  mark?: BotMark;
  /** When the mark was made, ISO: a clarifying question is answered in time only within the window. */
  markedAt?: string;
  /** The buyer was asked to rate the bot on this day. */
  rated?: boolean;
}

/** One buyer message and what the bot did with it. */
export interface BotTurn {
  /**
   * answer: the bot answered a question (in bot mode; a hello or a thanks is `other`); clarify:
   * asked to rephrase; handoff: a person was called.
   */
  kind: 'answer' | 'clarify' | 'handoff' | 'other';
  emotional: boolean;
  question: string;
  now: Date;
  /** The shop's day of `now`. */
  today: string;
}

/** What changes in the figures: a new answered conversation-day, or a mark moved on `day`. */
export interface BotOutcomeChange {
  day: string;
  answered?: true;
  from?: BotMark;
  to?: BotMark;
}

export function nextBotOutcome(
  previous: BotOutcomeState | undefined,
  turn: BotTurn,
): { state: BotOutcomeState | undefined; changes: BotOutcomeChange[] } {
  const changes: BotOutcomeChange[] = [];
  const recent = previous !== undefined && turn.now.getTime() - Date.parse(previous.at) <= OUTCOME_WINDOW_MS;
  let state = previous;
  const markAs = (to: BotMark) => {
    if (!state || !recent || (state.mark && STRENGTH[state.mark] >= STRENGTH[to])) return;
    changes.push({ day: state.day, ...(state.mark ? { from: state.mark } : {}), to });
    state = { ...state, mark: to, markedAt: turn.now.toISOString() };
  };
  const askedAgain =
    turn.kind !== 'other' &&
    previous !== undefined &&
    turn.question !== '' &&
    turn.question === previous.question;
  if (turn.kind === 'handoff') markAs('handoff');
  else if (turn.emotional || askedAgain) markAs('unhappy');
  if (turn.kind === 'clarify') markAs('clarify');
  if (turn.kind === 'answer') {
    const markedAt = state?.markedAt ? Date.parse(state.markedAt) : 0;
    if (state?.mark === 'clarify' && turn.now.getTime() - markedAt <= OUTCOME_WINDOW_MS) {
      // The buyer answered the clarifying question in time and got an answer.
      changes.push({ day: state.day, from: 'clarify' });
      const { mark: _cleared, markedAt: _at, ...unmarked } = state;
      state = unmarked;
    }
    if (!state || state.day !== turn.today) {
      changes.push({ day: turn.today, answered: true });
      state = { day: turn.today, at: turn.now.toISOString(), question: turn.question };
    } else state = { ...state, at: turn.now.toISOString(), question: turn.question };
  }
  return { state, changes };
}

/** A question as typed, for "the same question again": case, width, spaces and punctuation aside, numbers kept. */
export function repeatKey(text: string): string {
  return plainQuestion(text).slice(0, 200);
}

/**
 * How one question is grouped with the same asked before: case, width, spaces, punctuation and
 * the numbers in it ("多少钱？", "多少钱 ", "多少钱!!") do not make it another question.
 */
export function questionKey(text: string): string {
  return plainQuestion(text).replace(/\d+/g, '#').slice(0, 200) || text.slice(0, 200);
}

/** Width, case, spaces and punctuation aside. */
function plainQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{Z}\s]+/gu, '');
}
