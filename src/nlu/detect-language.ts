import type { Language } from '../catalog/product-schema.ts';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;
const SPANISH_CHARS = /[ñáéíóúü¿¡]/i;
const SPANISH_WORDS = new Set(
  ('hola buenas buenos dias tardes noches gracias talla tallas envio envío cuanto cuánto cuando cuándo ' +
    'donde dónde pedido quiero tienen tiene hay para por favor porfa que qué como cómo esta está es el la ' +
    'los las un una mi me mis del al con sin pero muy tambien también puedo pueden puede precio descuento ' +
    'factura devolver devolucion devolución cancelar llega llegar paquete camiseta chaqueta pantalon ' +
    'vestido algodon algodón tela mido peso kilos agente persona humano vale si sí no de en y o mas más ' +
    'usted ustedes vosotros necesito saber xq pq q tb todavia todavía aun aún ya color negro blanco rojo azul')
    .split(' '),
);
const ENGLISH_WORDS = new Set(
  ('hi hello hey thanks thank you size sizes shipping ship how much when where order want is it the a an ' +
    'my me do does can could would will what which this that there please pls plz u r have has in of to ' +
    'and or for with without but very also get buy price discount invoice return refund cancel arrive ' +
    'parcel package shirt jacket pants dress cotton fabric tall weigh kg lbs agent person human ok yes ' +
    'no still yet not any still color black white red blue are you your i im')
    .split(' '),
);

/** Picks zh, en or es: any real share of Han characters is Chinese, else Spanish vs English by cues. */
export function detectLanguage(text: string): Language {
  const han = text.match(CJK)?.length ?? 0;
  const letters = text.match(/[a-zñáéíóúü]/gi)?.length ?? 0;
  if (han > 0 && han * 3 >= letters) return 'zh';
  let es = SPANISH_CHARS.test(text) ? 2 : 0;
  let en = 0;
  for (const word of text.toLowerCase().split(/[^a-zñáéíóúü']+/)) {
    if (!word) continue;
    if (SPANISH_WORDS.has(word)) es += 1;
    if (ENGLISH_WORDS.has(word)) en += 1;
  }
  if (han > 0 && es === 0 && en === 0) return 'zh';
  return es > en ? 'es' : 'en';
}
