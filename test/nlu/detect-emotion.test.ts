import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/shared/language.ts';
import { detectEmotion, detectEmotionWith } from '../../src/nlu/detect-emotion.ts';
import { prepareForIntent } from '../../src/nlu/prepare-text.ts';

const EMOTIONAL: [Language, string][] = [
  ['zh', '再不发货我就给差评'],
  ['zh', '我要投诉你们'],
  ['zh', '我要打12315'],
  ['zh', '你们就是骗子'],
  ['zh', '什么垃圾质量'],
  ['en', 'this is a scam'],
  ['en', 'I will file a chargeback'],
  ['en', 'stop fooling your buyers with fake sale prices'],
  ['es', 'esto es una estafa'],
  ['es', 'los voy a denunciar'],
];

const CALM: [Language, string][] = [
  ['zh', '请问有M码吗'],
  ['zh', '什么时候发货'],
  ['zh', '还有黑色吗'],
  ['en', 'Do you have size M?'],
  ['en', 'When will it ship?'],
  ['en', 'is this a fool-proof lock for a kids bike?'],
  ['es', '¿Tienen talla M?'],
  ['es', '¿Cuándo llega mi pedido?'],
];

/** The mood read when the naive Bayes finds the text calm (0.1) and the logistic model says `upset`. */
const upsetAt = (upset: number) => (text: string, language: Language) =>
  detectEmotionWith(
    () => 0.1,
    text,
    language,
    () => upset,
  ).emotional;

describe('detectEmotion', () => {
  it.each(EMOTIONAL)('reads the %s message "%s" as emotional', (language, text) => {
    expect(detectEmotion(text, language).emotional).toBe(true);
  });

  it.each(CALM)('reads the %s question "%s" as calm', (language, text) => {
    expect(detectEmotion(text, language)).toEqual({ emotional: false, score: 0 });
  });

  it('tips an impatient Chinese question into emotional with three exclamation marks', () => {
    expect(detectEmotion('到底什么时候发货', 'zh').emotional).toBe(false);
    expect(detectEmotion('到底什么时候发货!!!', 'zh').emotional).toBe(true);
    expect(detectEmotion('到底什么时候发货！！！', 'zh').emotional).toBe(true);
  });

  it('does not read exclamation marks alone as emotional', () => {
    expect(detectEmotion('发货了吗!!!', 'zh').emotional).toBe(false);
  });

  it('tips a complaint written in capitals into emotional', () => {
    expect(detectEmotion('my order has still not arrived', 'en').emotional).toBe(false);
    expect(detectEmotion('MY ORDER HAS STILL NOT ARRIVED', 'en').emotional).toBe(true);
  });

  it('keeps the score between 0 and 1', () => {
    const furious = detectEmotion(
      'ESTAFA fraude basura, estoy furiosa, sigo esperando, URGENTE!!! 😡 ???',
      'es',
    );
    expect(furious.score).toBeLessThanOrEqual(1);
    expect(furious.score).toBe(1);
    for (const [language, text] of [...EMOTIONAL, ...CALM]) {
      const { score } = detectEmotion(text, language);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('is emotional exactly when the score reaches 0.5', () => {
    for (const [language, text] of [
      ...EMOTIONAL,
      ...CALM,
      ['zh', '到底什么时候发货!!!'] as [Language, string],
    ]) {
      const { emotional, score } = detectEmotion(text, language);
      expect(emotional).toBe(score >= 0.5);
    }
  });
});

describe('calm shop questions that contain a word from the lexicon', () => {
  it.each([
    ['退货怎么操作', 'zh'],
    ['可以滚筒烘干吗', 'zh'],
    ['可以用工商银行付款吗', 'zh'],
    ['Disculpe la molestia, ¿tienen talla M?', 'es'],
    ['sorry if I make a fool of myself, what size for 170cm?', 'en'],
  ] as const)('does not take %s for anger', (text, language) => {
    expect(detectEmotion(text, language).emotional).toBe(false);
  });
});

describe('waiting and repetition, and their calm look-alikes', () => {
  it.each([
    ['the app logged me out, can i try again later? need it by tomorrow', 'en'],
    ['will the grey one be in stock again soon? need it by friday', 'en'],
    ['need it by xmas, if it comes late can I get my money back?', 'en'],
    ['¿aceptan 3 meses sin intereses? lo necesito urgente para el viernes', 'es'],
    ['¿llega en 3 días sin costo extra? es para hoy', 'es'],
    ['3天了能到吗 明天要用', 'zh'],
  ] as const)('does not score the calm %s as a wait', (text, language) => {
    expect(detectEmotion(text, language).score).toBeLessThan(0.5);
  });

  it.each([
    ['wrong size again, need it by tomorrow', 'en'],
    ['charged me again?? i want my money back today', 'en'],
    ['three days of trying to pay, it fails every time. URGENT', 'en'],
    ['tres días intentando pagar y es imposible!', 'es'],
    ['cinco dias esperando y hoy tampoco llega, urgente', 'es'],
    ['varias semanas sin respuesta y hoy tampoco, urgente', 'es'],
    ['下单6天了还没发货 明天要用', 'zh'],
    ['拍了五天了也没发 明天要用', 'zh'],
  ] as const)('adds up the waiting in %s with its other signs', (text, language) => {
    expect(detectEmotion(text, language).emotional).toBe(true);
  });
});

describe('complaint words said not to hold', () => {
  it.each([
    ["thanks, just wanted to make sure it wasn't a scam", 'en'],
    ['thanks, just wanted to make sure it wasn’t a scam', 'en'],
    ['no complaints at all, it fits great', 'en'],
    ["I'm not angry, just asking where it is", 'en'],
    ['no es una estafa, ¿verdad? es mi primera compra', 'es'],
    ['no me quejo, llegó bien', 'es'],
    ['是正品吗 不会是假货吧', 'zh'],
    ['这个应该不是假货吧', 'zh'],
  ] as const)('are no cue: %s', (text, language) => {
    expect(detectEmotion(text, language).score).toBe(0);
  });

  it.each([
    ['this is a scam', 'en'],
    ['I have never been scammed like this before', 'en'],
    ['how is this not a scam??', 'en'],
    ["if this isn't a scam, what is?", 'en'],
    ['esto es una estafa', 'es'],
    ['¿cómo no es una estafa esto?', 'es'],
    ['收到的就是假货 我要投诉', 'zh'],
    ['你们卖假货', 'zh'],
  ] as const)('leave the same words, said to hold, a cue: %s', (text, language) => {
    expect(detectEmotion(text, language).emotional).toBe(true);
  });

  it('leave a negated fraud word to the intent models: it asks whether the item is genuine', () => {
    expect(prepareForIntent('how do i know its not fake', 'en')).toBe('how do i know its not fake');
  });

  it('drop a negated mood word from what the intent models read', () => {
    expect(prepareForIntent('no complaints here, great hoodie', 'en')).toBe('here, great hoodie');
  });
});

describe('the models on a fragment', () => {
  const sure = () => 0.99;
  it.each([
    ['and in red?', 'en'],
    ['y en rojo?', 'es'],
    ['那黑色呢', 'zh'],
  ] as const)('do not read a mood alone from %s', (text, language) => {
    expect(detectEmotionWith(sure, text, language, sure).emotional).toBe(false);
  });

  it.each([
    ['you keep sending me the wrong colour every single time', 'en'],
    ['siempre me mandáis el color equivocado, otra vez', 'es'],
    ['你们每次都给我发错颜色真的服了', 'zh'],
  ] as const)('read one from a message: %s', (text, language) => {
    expect(detectEmotionWith(sure, text, language, sure).emotional).toBe(true);
  });
});

describe('the logistic model', () => {
  it('decides alone when it is sure, and beside a weaker cue when it is less sure', () => {
    const text = 'the box came open and half the screws are gone';
    expect(upsetAt(0.6)(text, 'en')).toBe(true);
    expect(upsetAt(0.5)(text, 'en')).toBe(false);
    // "still waiting" is a weaker cue (0.3): with it, a less sure model is enough.
    const waiting = 'still waiting for the screws that were missing from the box';
    expect(upsetAt(0.35)(waiting, 'en')).toBe(true);
    expect(upsetAt(0.25)(waiting, 'en')).toBe(false);
  });
});

describe('a question with no cue', () => {
  it.each([
    ['when are you going to have the blue one in stock again?', 'en'],
    ['where do I ask for a refund of my money?', 'en'],
    ['¿me pueden ayudar a seguir mi pedido?', 'es'],
    ['will the grey one be back soon? 🙏', 'en'],
    ['what sizes does it come in? and in blue?', 'en'],
  ] as const)('is asked, not vented, even when the logistic model is sure: %s', (text, language) => {
    expect(upsetAt(0.9)(text, language)).toBe(false);
  });

  it('is still handed off when the naive Bayes is very sure too', () => {
    expect(
      detectEmotionWith(
        () => 0.97,
        'where do I ask for a refund of my money?',
        'en',
        () => 0.9,
      ).emotional,
    ).toBe(true);
  });

  it.each([
    // a statement after the question, a cue beside it, or Chinese (a rhetorical question is anger there)
    ['why did it not ship? you charged me and sent nothing', 'en'],
    ['dijeron envío en 24h. van 4 días. ¿cuándo lo mandan?', 'es'],
    ['lo compré el lunes y ya está más barato ¿en serio?', 'es'],
    ['you charged my card twice. when do I get my money back?', 'en'],
    ['el paquete dice entregado pero no me llegó nada. ¿qué hago?', 'es'],
    ['什么叫缺货？我下单的时候可不缺货', 'zh'],
    ['什么叫缺货?下单时不缺货，发货反倒缺货?', 'zh'],
  ] as const)('does not hold back the model otherwise: %s', (text, language) => {
    expect(upsetAt(0.9)(text, language)).toBe(true);
  });
});

describe('waiting cues and their calm questions', () => {
  // A cue lets a less sure model decide (0.3): calm questions must not carry one.
  it.each([
    ['3天了还没到正常吗', 'zh'],
    ['下单两天了还没发货正常吗', 'zh'],
    ['¿las devoluciones van 30 días desde la compra?', 'es'],
    ['si el pedido ya lleva dos días sin moverse en el almacén, ¿es normal?', 'es'],
  ] as const)('keeps the calm %s with the bot', (text, language) => {
    expect(upsetAt(0.4)(text, language)).toBe(false);
  });

  it.each([
    ['超慢的 5 天了还没到', 'zh'],
    ['六天了还没发 有人管吗', 'zh'],
  ] as const)('reads the waiting in %s', (text, language) => {
    expect(upsetAt(0.4)(text, language)).toBe(true);
  });
});

describe('the lexicon in every spelling', () => {
  it.each([
    ['me harté de vuestra atención', 'es'], // an accented letter ends a word as the plain one does
    ['me harte de vuestra atencion', 'es'],
    ['esto es un atraco a mano armada', 'es'],
    ['I need to correct the goddamn address', 'en'],
    ['classic bait and switch', 'en'],
    ['客服这态度真不爽', 'zh'],
  ] as const)('reads anger in %s', (text, language) => {
    expect(detectEmotion(text, language).emotional).toBe(true);
  });
});
