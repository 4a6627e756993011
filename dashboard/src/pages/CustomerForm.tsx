// Create or edit a customer, with the public API's validation and messages shown beside each field.
import { api } from '../api';
import { useApp } from '../app-context';
import type { Customer, CustomerCreate } from '../types';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { Alert, SelectField, TextField } from '../ui/Field';
import { fieldsOf, pick, texts, useForm } from '../ui/form';

/** Currencies of the markets mteja's users sell in first, then every ISO 4217 code. */
export const COMMON_CURRENCIES = ['KES', 'UGX', 'TZS', 'RWF', 'ETB', 'NGN', 'GHS', 'ZAR', 'USD', 'EUR', 'GBP'];

export function currencyOptions(all: readonly string[]) {
  const common = COMMON_CURRENCIES.filter((c) => all.includes(c));
  return [...common, ...all.filter((c) => !common.includes(c))];
}

/** What the form edits and sends, in the order it sends them: every field of the server's create body. */
const CUSTOMER_FIELDS = fieldsOf<CustomerCreate>()([
  'name',
  'email',
  'phone',
  'country',
  'currency',
  'company',
  'address',
  'city',
  'state',
  'website',
  'type',
]);

type Values = Omit<CustomerCreate, 'type'> & { type: string };

const blank = (): Values => ({ ...texts(CUSTOMER_FIELDS), currency: 'KES', type: 'individual' });

export function CustomerForm({
  customer,
  onClose,
  onSaved,
}: {
  customer?: Customer;
  onClose: () => void;
  onSaved: (customer: Customer | undefined) => void;
}) {
  const { meta } = useApp();
  const form = useForm<Values>(customer ? { ...blank(), ...pick(customer, CUSTOMER_FIELDS) } : blank(), {
    conflicts: 'email',
  });
  const { values, set, errors } = form;

  const save = () =>
    form.submit(async (v) => {
      const body = pick(v, CUSTOMER_FIELDS);
      if (customer) {
        await api.update('customer', customer._id, body);
        onSaved(undefined);
      } else {
        onSaved(await api.create<Customer>('customer', body));
      }
    });

  return (
    <Dialog
      open
      title={customer ? `Edit ${customer.name}` : 'New customer'}
      onClose={onClose}
      onSubmit={save}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={form.busy}>
            {customer ? 'Save changes' : 'Create customer'}
          </Button>
        </>
      }
    >
      {form.problem && <Alert>{form.problem}</Alert>}
      <div class="form-grid">
        <div class="field full">
          <div class="field-label" id="ctype">
            Type
          </div>
          <fieldset class="segmented" aria-labelledby="ctype">
            {meta.customertypes.map((t) => (
              <button
                key={t}
                type="button"
                aria-pressed={values.type === t ? 'true' : 'false'}
                onClick={() => set('type', t)}
              >
                {t === 'individual' ? 'Individual' : 'Business'}
              </button>
            ))}
          </fieldset>
        </div>
        <TextField
          label="Name"
          required
          value={values.name}
          onValue={(v) => set('name', v)}
          error={errors.name}
          autocomplete="off"
        />
        <TextField
          label="Company"
          value={values.company}
          onValue={(v) => set('company', v)}
          error={errors.company}
          help={values.type === 'business' ? 'The business this customer is' : undefined}
        />
        <TextField
          label="Email"
          type="email"
          required
          value={values.email}
          onValue={(v) => set('email', v)}
          error={errors.email}
        />
        <TextField
          label="Phone"
          type="tel"
          required
          value={values.phone}
          onValue={(v) => set('phone', v)}
          error={errors.phone}
          placeholder="+254712345678"
        />
        <TextField
          label="Country"
          required
          value={values.country}
          onValue={(v) => set('country', v)}
          error={errors.country}
          placeholder="Kenya"
        />
        <SelectField
          label="Currency"
          required
          value={values.currency}
          onValue={(v) => set('currency', v)}
          error={errors.currency}
          options={currencyOptions(meta.currencies)}
        />
        <div class="form-section">Address</div>
        <TextField
          label="Street address"
          class="full"
          value={values.address}
          onValue={(v) => set('address', v)}
          error={errors.address}
        />
        <TextField label="City" value={values.city} onValue={(v) => set('city', v)} error={errors.city} />
        <TextField label="State or region" value={values.state} onValue={(v) => set('state', v)} error={errors.state} />
        <TextField
          label="Website"
          class="full"
          type="url"
          value={values.website}
          onValue={(v) => set('website', v)}
          error={errors.website}
          placeholder="https://"
        />
      </div>
    </Dialog>
  );
}
