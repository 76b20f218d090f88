// NLP.js ships no types; these cover only what nlpjs-classifier.ts uses.
declare module '@nlpjs/core' {
  export interface Container {
    use(item: unknown, name?: string): string;
    register(name: string, instance: unknown, isSingleton?: boolean): void;
    get(name: string): unknown;
  }
  export function containerBootstrap(): Promise<Container>;
}
declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';
  export interface NlpProcessResult {
    locale: string;
    intent: string;
    score: number;
    classifications: { intent: string; score: number }[];
  }
  export class Nlp {
    constructor(settings: Record<string, unknown> & { container: Container });
    addLanguage(locale: string): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    /** The trained model as JSON text, and back (the model cache). */
    export(minified?: boolean): string;
    import(data: string): void;
    /** Its NLU manager: classified through directly, and its per-text caches emptied. */
    nluManager: {
      process(input: {
        locale: string;
        utterance: string;
        settings: Record<string, unknown>;
      }): Promise<NlpProcessResult>;
      domainManagers: Record<
        string,
        { domains: Record<string, { cache?: { results: Record<string, unknown> } }> } | undefined
      >;
    };
  }
}
declare module '@nlpjs/lang-en-min' {
  export class LangEn {}
}
declare module '@nlpjs/lang-es' {
  export class LangEs {}
}
