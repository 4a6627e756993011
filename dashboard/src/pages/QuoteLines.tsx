// A saved quote's lines and totals: shown once the quote is sent, printed, and (the totals) under the editor.
import { money } from '../format';
import type { Priced, Quote } from '../types';

export function Totals({
  priced,
  currency,
  pending,
}: {
  priced: Priced | undefined;
  currency: string;
  pending?: boolean;
}) {
  return (
    <dl class="totals" aria-live="polite" aria-busy={pending ? 'true' : 'false'}>
      <dt>Subtotal</dt>
      <dd data-total="subtotal">{priced ? money(priced.subtotal, currency) : '—'}</dd>
      <dt>Discount</dt>
      <dd data-total="discount">{priced ? `− ${money(priced.discount, currency)}` : '—'}</dd>
      <dt>Tax</dt>
      <dd data-total="tax">{priced ? money(priced.tax, currency) : '—'}</dd>
      <dt class="grand">Total</dt>
      <dd class="grand" data-total="total">
        {priced ? money(priced.total, currency) : '—'}
      </dd>
    </dl>
  );
}

/** A saved quote's lines with their numbers: they never move once saved, so a line's number is its identity. */
const numbered = (items: Quote['items']) => items.map((item, index) => ({ ...item, line: index + 1 }));

/** A saved quote's lines and totals, as shown once it is sent and as printed. */
export function QuoteLines({ quote }: { quote: Quote }) {
  return (
    <>
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th>Item</th>
              <th class="num">Qty</th>
              <th class="num">Rate</th>
              <th class="num hide-sm">Discount</th>
              <th class="num hide-sm">Tax</th>
              <th class="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {numbered(quote.items).map((i) => (
              <tr key={i.line}>
                <td>
                  <div class="strong">{i.title}</div>
                  {i.description && <div class="secondary-text">{i.description}</div>}
                </td>
                <td class="num">{i.quantity}</td>
                <td class="num nowrap">{money(i.rate, quote.currency)}</td>
                <td class="num nowrap hide-sm">{i.discount ? money(i.discount, quote.currency) : '—'}</td>
                <td class="num hide-sm">{i.taxrate ? `${i.taxrate}%` : '—'}</td>
                <td class="num nowrap strong">{money(i.amount, quote.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Totals priced={quote} currency={quote.currency} />
    </>
  );
}
