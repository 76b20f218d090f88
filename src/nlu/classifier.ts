import type { Language } from '../shared/language.ts';
import type { Entities } from './extract-entities.ts';
import type { IntentId } from './intent-ids.ts';

export interface NluResult {
  text: string;
  language: Language;
  intent: IntentId;
  confidence: number;
  emotional: boolean;
  emotionScore: number;
  entities: Entities;
  /** Other intents the message might mean, most likely first (for a clarifying question). */
  alternatives: IntentId[];
}

/** Reads one buyer message. Kept small so the NLP engine behind it can be replaced. */
export interface Classifier {
  /** `previousLanguage`: what the buyer wrote in before, kept when a message is too short to tell. */
  classify(text: string, previousLanguage?: Language): Promise<NluResult>;
}
