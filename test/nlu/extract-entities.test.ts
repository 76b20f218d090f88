import { describe, expect, it } from 'vitest';
import { placeIndex } from '../../src/catalog/countries.ts';
import { ShopSchema } from '../../src/catalog/product-schema.ts';
import { extractEntities, type EntityVocabulary } from '../../src/nlu/extract-entities.ts';

const vocabulary: EntityVocabulary = {
  colors: new Map([
    ['黑色', '黑色'],
    ['黑', '黑色'],
    ['black', '黑色'],
    ['negro', '黑色'],
    ['白色', '白色'],
  ]),
  regions: ['新疆', '西藏'],
};

const zh = (text: string) => extractEntities(text, 'zh', vocabulary);
const en = (text: string) => extractEntities(text, 'en', vocabulary);
const es = (text: string) => extractEntities(text, 'es', vocabulary);

describe('extractEntities: height', () => {
  it('takes a bare three-digit number in the height range as centimetres', () => {
    expect(zh('165')).toEqual({ heightCm: 165 });
  });

  it('takes a number with cm as centimetres', () => {
    expect(zh('165cm')).toEqual({ heightCm: 165 });
  });

  it('takes a labelled height', () => {
    expect(zh('身高165')).toEqual({ heightCm: 165 });
  });

  it('reads 1米65 as 165 cm', () => {
    expect(zh('1米65').heightCm).toBe(165);
  });

  it('reads 一米六五 as 165 cm', () => {
    expect(zh('一米六五')).toEqual({ heightCm: 165 });
  });

  it('reads a single digit after 一米 as tens: 一米七 is 170 cm', () => {
    expect(zh('一米七')).toEqual({ heightCm: 170 });
  });

  it('reads a single digit after 1米 as tens: 1米7 is 170 cm', () => {
    expect(zh('1米7')).toEqual({ heightCm: 170 });
  });

  it('reads metres with a decimal point', () => {
    expect(en('1.65m')).toEqual({ heightCm: 165 });
    expect(zh('1.65米')).toEqual({ heightCm: 165 });
  });

  it("converts feet and inches written 5'6", () => {
    expect(en("5'6")).toEqual({ heightCm: 168 });
  });

  it('converts feet and inches written 5 ft 8', () => {
    expect(en('5 ft 8')).toEqual({ heightCm: 173 });
  });

  it("takes no height from a two-digit number with an apostrophe: 34's is a waist", () => {
    expect(en("my waist is a 33. typically 34's are too loose. would a 32 work?")).toEqual({});
    expect(en("I usually wear 6's, would a 7 fit?")).toEqual({});
    expect(en('size 5’s run small')).toEqual({});
    expect(en("5'6 and 60kg")).toEqual({ heightCm: 168, weightKg: 60 });
  });

  it('converts feet alone', () => {
    expect(en('6 feet')).toEqual({ heightCm: 183 });
  });

  it('reads a Spanish height with a decimal comma', () => {
    expect(es('mido 1,70').heightCm).toBe(170);
  });

  it('reads a Spanish height followed by a weight in kg', () => {
    expect(es('mido 1,70 y peso 65 kg')).toEqual({ heightCm: 170, weightKg: 65 });
  });

  it('does not take a price in 元 as a height', () => {
    expect(zh('199元')).toEqual({});
    expect(zh('这件199元吗')).toEqual({});
  });

  it('finds the height next to a price without taking the price', () => {
    expect(zh('这件199元 165能穿吗')).toEqual({ heightCm: 165 });
  });

  it('ignores a three-digit number outside the height range', () => {
    expect(zh('250')).toEqual({});
  });
});

describe('extractEntities: weight', () => {
  it('takes kg as kilograms', () => {
    expect(zh('60kg')).toEqual({ weightKg: 60 });
  });

  it('takes 公斤 as kilograms', () => {
    expect(zh('60公斤')).toEqual({ weightKg: 60 });
  });

  it('halves 斤 into kilograms', () => {
    expect(zh('100斤')).toEqual({ weightKg: 50 });
  });

  it('halves a weight written in Chinese numerals with 斤', () => {
    expect(zh('一百一十斤')).toEqual({ weightKg: 55 });
    expect(zh('九十五斤')).toEqual({ weightKg: 47.5 });
  });

  it('converts pounds to kilograms with one decimal', () => {
    expect(en('150 lbs')).toEqual({ weightKg: 68 });
  });

  it('takes a labelled weight without a unit as kilograms', () => {
    expect(es('peso 60')).toEqual({ weightKg: 60 });
  });

  it('reads a bare number of 90 or more after a height in Chinese as 斤', () => {
    expect(zh('170 120')).toEqual({ heightCm: 170, weightKg: 60 });
  });

  it('reads a bare number under 90 after a height in Chinese as kilograms', () => {
    expect(zh('170 60')).toEqual({ heightCm: 170, weightKg: 60 });
  });

  it('reads a bare number after a height in English as kilograms', () => {
    expect(en('170 65')).toEqual({ heightCm: 170, weightKg: 65 });
    expect(en('170 120')).toEqual({ heightCm: 170, weightKg: 120 });
  });

  it('reads height and weight in 斤 together', () => {
    expect(zh('165 110斤')).toEqual({ heightCm: 165, weightKg: 55 });
    expect(zh('一米六五 一百斤')).toEqual({ heightCm: 165, weightKg: 50 });
  });

  it('reads height in cm and weight in kg together', () => {
    expect(en('175cm 70kg')).toEqual({ heightCm: 175, weightKg: 70 });
  });

  it('reads feet and pounds together', () => {
    expect(en("I'm 5'6 and 130 lbs")).toEqual({ heightCm: 168, weightKg: 59 });
  });

  it('takes no bare weight when no height was given', () => {
    expect(zh('120')).toEqual({});
  });
});

describe('extractEntities: size', () => {
  it('takes a size letter followed by 码', () => {
    expect(zh('L码')).toEqual({ size: 'L' });
  });

  it('takes a multi-letter size in a question', () => {
    expect(zh('XL有吗')).toEqual({ size: 'XL' });
  });

  it('takes a size letter after the word size or talla', () => {
    expect(en('size M')).toEqual({ size: 'M' });
    expect(es('talla M')).toEqual({ size: 'M' });
  });

  it('takes 3XL and XXL', () => {
    expect(en('3XL')).toEqual({ size: '3XL' });
    expect(en('XXL')).toEqual({ size: 'XXL' });
  });

  it('takes a numeric trouser size followed by 码', () => {
    expect(zh('29码')).toEqual({ size: '29' });
  });

  it('takes a numeric size after the word size', () => {
    expect(en('size 28')).toEqual({ size: '28' });
  });

  it('does not take a lone M inside an English sentence as a size', () => {
    expect(en('I am M')).toEqual({});
  });

  it('takes size, height and weight from one message', () => {
    expect(zh('M码 165 100斤')).toEqual({ size: 'M', heightCm: 165, weightKg: 50 });
  });
});

describe('extractEntities: colour', () => {
  it('maps a colour word to the catalog name', () => {
    expect(zh('黑色有吗')).toEqual({ color: '黑色' });
  });

  it('maps the short form of a colour', () => {
    expect(zh('黑的还有吗')).toEqual({ color: '黑色' });
  });

  it('maps an English colour word to the catalog name', () => {
    expect(en('Black please')).toEqual({ color: '黑色' });
  });

  it('prefers the longest matching colour word', () => {
    const colors = new Map([
      ['白', '白色'],
      ['米白', '米白色'],
    ]);
    expect(extractEntities('米白有吗', 'zh', { colors, regions: [] })).toEqual({ color: '米白色' });
  });

  it('takes an English or Spanish colour only as a word of its own (or its plural), beside Chinese too', () => {
    const colors = new Map([
      ['red', '红色'],
      ['oro', '金色'],
      ['negra', '黑色'],
      ['azul', '蓝色'],
      ['pink', '粉色'],
    ]);
    const read = (text: string) => extractEntities(text, 'en', { colors, regions: [] }).color;
    expect(read('I ordered it on monday')).toBeUndefined();
    expect(read('el moro')).toBeUndefined();
    expect(read('do you have it in red?')).toBe('红色');
    expect(read('RED one please')).toBe('红色');
    expect(read('¿tienen negras?')).toBe('黑色');
    expect(read('reds and blues')).toBe('红色');
    expect(read('¿las tienen azules?')).toBe('蓝色');
    expect(read('¿me contestan por redes?')).toBeUndefined();
    expect(read('有pink的吗')).toBe('粉色');
  });

  it('takes no colour the vocabulary does not know', () => {
    expect(zh('紫色有吗')).toEqual({});
  });
});

describe('extractEntities: order id, quantity and region', () => {
  it('takes the number after 订单号', () => {
    expect(zh('订单号 12345678')).toEqual({ orderId: '12345678' });
  });

  it('takes an order id after order #', () => {
    expect(en('order #98765')).toEqual({ orderId: '98765' });
  });

  it('takes an order id after pedido', () => {
    expect(es('pedido #12345')).toEqual({ orderId: '12345' });
  });

  it('takes no order id that has no digit', () => {
    expect(zh('订单号 abcdef')).toEqual({});
  });

  it('takes a quantity written in digits', () => {
    expect(zh('2件')).toEqual({ quantity: 2 });
  });

  it('takes a quantity written in Chinese', () => {
    expect(zh('两件')).toEqual({ quantity: 2 });
    expect(zh('要三件')).toEqual({ quantity: 3 });
  });

  it('takes a region from the vocabulary', () => {
    expect(zh('发新疆多久')).toEqual({ region: '新疆' });
  });

  it('takes no region the vocabulary does not list', () => {
    expect(zh('发上海多久')).toEqual({});
  });
});

describe('extractEntities: nothing to take', () => {
  it('yields nothing for plain text without numbers', () => {
    expect(zh('你好')).toEqual({});
    expect(zh('这个多少钱')).toEqual({});
    expect(en('hello there')).toEqual({});
    expect(es('hola, buenas tardes')).toEqual({});
  });
});

describe('regressions found in review', () => {
  const vocabulary = { colors: new Map<string, string>(), regions: [] as string[] };
  it.each([
    ['1米65', 'zh', { heightCm: 165 }],
    ['mido 1,70', 'es', { heightCm: 170 }],
    ['1米65 120斤', 'zh', { heightCm: 165, weightKg: 60 }],
    ['1.70 65kg', 'es', { heightCm: 170, weightKg: 65 }],
    ['1米7 55kg', 'zh', { heightCm: 170, weightKg: 55 }],
    ['quiero 5 piezas', 'es', { quantity: 5 }],
    ['5 pieces please', 'en', { quantity: 5 }],
    ['order #A1234', 'en', { orderId: 'A1234' }],
    ['my order number is 1234', 'en', { orderId: '1234' }],
  ] as const)('reads %s as exactly what it says', (text, language, expected) => {
    expect(extractEntities(text, language, vocabulary)).toEqual(expected);
  });
});

describe('extractEntities: countries', () => {
  const shop = ShopSchema.parse({
    name: { zh: '店' },
    couriers: [{ name: { zh: '中通' } }],
    dispatchDays: 2,
    deliveryDays: { default: [2, 4] },
    destinations: [
      { name: { zh: '西班牙', en: 'Spain', es: 'España' }, days: [8, 15], fee: 75 },
      { name: { zh: '火星', en: 'Mars base' }, aliases: ['MB1'], days: [90, 120], fee: 999 },
    ],
  });
  const places = { ...vocabulary, places: placeIndex(shop) };

  it.each([
    ['能寄到西班牙吗', 'zh', 'ES'],
    ['do you ship to the UK?', 'en', 'GB'],
    ['¿envían a México?', 'es', 'MX'],
    ['envio a espana?', 'es', 'ES'],
    ['can you send it to Mars base?', 'en', 'shop:火星'],
  ] as const)('names %s', (text, language, country) => {
    expect(extractEntities(text, language, places).country).toBe(country);
  });

  it('reads no country inside another word, and no size in the M of México', () => {
    expect(extractEntities('the duke of york', 'en', places).country).toBeUndefined();
    expect(extractEntities('¿envían a México?', 'es', places).size).toBeUndefined();
  });
});
