import type { Language } from '../catalog/product-schema.ts';
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
  classify(text: string): Promise<NluResult>;
}
