/** The 19 intent ids fixed by the public contract. */
export const INTENT_IDS = [
  'greeting',
  'product.size',
  'product.fabric',
  'product.stock',
  'product.price',
  'product.info',
  'price.discount',
  'shipping.time',
  'shipping.courier',
  'order.cancel',
  'order.change',
  'order.payment',
  'order.logistics',
  'invoice',
  'return.howto',
  'human.request',
  'complaint',
  'thanks',
  'None',
] as const;
export type IntentId = (typeof INTENT_IDS)[number];

export function isIntentId(value: string): value is IntentId {
  return (INTENT_IDS as readonly string[]).includes(value);
}
