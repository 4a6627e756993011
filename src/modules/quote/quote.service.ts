// Quote pricing and numbering: totals from the items, never from input; numbers QUO-<year>-<seq> per business.
import { roundMoney } from '../../http/schemas.js';
import type { QuoteCreate, QuoteItem } from './quote.schema.js';

export interface Priced {
  items: QuoteItem[];
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

/** Prices the items: amount = quantity × rate; tax on (amount − discount) at the line's rate; all rounded to cents. */
export function priceItems(items: QuoteCreate['items']): Priced {
  let subtotal = 0;
  let discount = 0;
  let tax = 0;
  const priced = items.map((item) => {
    const amount = roundMoney(item.quantity * item.rate);
    const lineDiscount = roundMoney(Math.min(item.discount ?? 0, amount));
    const taxrate = item.taxrate ?? 0;
    subtotal += amount;
    discount += lineDiscount;
    tax += roundMoney(((amount - lineDiscount) * taxrate) / 100);
    return {
      itemid: item.itemid ?? null,
      title: item.title,
      description: item.description ?? null,
      quantity: item.quantity,
      rate: roundMoney(item.rate),
      discount: lineDiscount,
      taxrate,
      amount,
    };
  });
  subtotal = roundMoney(subtotal);
  discount = roundMoney(discount);
  tax = roundMoney(tax);
  return { items: priced, subtotal, discount, tax, total: roundMoney(subtotal - discount + tax) };
}
