// A lead's form (new or edit), and converting a lead to a customer through the API's own conversion.
import { api } from '../api';
import { useApp } from '../app-context';
import { Link } from '../router';
import type { Customer, Lead, LeadCreate } from '../types';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { Alert, SelectField, TextArea, TextField } from '../ui/Field';
import { fieldsOf, texts, toNumber, useForm } from '../ui/form';
import { toast } from '../ui/toast';
import { currencyOptions } from './CustomerForm';

export const SOURCES = ['website', 'referral', 'ad', 'event', 'cold_call', 'partner', 'social'];

/** What the lead form edits and sends, in the order it sends them: every field of the server's create body. */
const LEAD_FIELDS = fieldsOf<LeadCreate>()([
  'name',
  'email',
  'phone',
  'company',
  'jobtitle',
  'industry',
  'website',
  'budget',
  'source',
  'country',
  'state',
  'address',
  'request',
  'status',
]);

/** Each field as typed: text, the budget too until it is sent. */
type LeadValues = Record<(typeof LEAD_FIELDS)[number], string>;

export function LeadForm({
  lead,
  status,
  onClose,
  onSaved,
}: {
  lead?: Lead;
  status?: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { meta } = useApp();
  const form = useForm<LeadValues>({ ...texts(LEAD_FIELDS, lead), status: lead?.status ?? status ?? 'new' });
  const { values, set, errors } = form;
  const save = () =>
    form.submit(async (v) => {
      const body = { ...v, budget: toNumber(v.budget) };
      if (lead) await api.update('lead', lead._id, body);
      else await api.create<Lead>('lead', body);
      toast(lead ? 'Lead saved' : `Lead ${v.name} added`);
      onSaved();
    });
  const statuses = meta.leadstatuses.filter((s) => s !== 'converted' || lead?.status === 'converted');
  return (
    <Dialog
      open
      title={lead ? `Edit ${lead.name}` : 'New lead'}
      onClose={onClose}
      onSubmit={save}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={form.busy}>
            {lead ? 'Save changes' : 'Add lead'}
          </Button>
        </>
      }
    >
      {form.problem && <Alert>{form.problem}</Alert>}
      <div class="form-grid">
        <TextField label="Name" required value={values.name} onValue={(v) => set('name', v)} error={errors.name} />
        <TextField label="Company" value={values.company} onValue={(v) => set('company', v)} error={errors.company} />
        <TextField
          label="Email"
          type="email"
          value={values.email}
          onValue={(v) => set('email', v)}
          error={errors.email}
        />
        <TextField
          label="Phone"
          type="tel"
          value={values.phone}
          onValue={(v) => set('phone', v)}
          error={errors.phone}
        />
        <TextField
          label="Job title"
          value={values.jobtitle}
          onValue={(v) => set('jobtitle', v)}
          error={errors.jobtitle}
        />
        <TextField
          label="Industry"
          value={values.industry}
          onValue={(v) => set('industry', v)}
          error={errors.industry}
        />
        <TextField
          label="Budget"
          inputMode="decimal"
          value={values.budget}
          onValue={(v) => set('budget', v)}
          error={errors.budget}
        />
        <TextField
          label="Source"
          list="lead-sources"
          value={values.source}
          onValue={(v) => set('source', v)}
          error={errors.source}
          help="Where the lead came from"
        />
        <datalist id="lead-sources">
          {SOURCES.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <SelectField
          label="Stage"
          value={values.status}
          onValue={(v) => set('status', v)}
          error={errors.status}
          options={statuses.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))}
          disabled={lead?.status === 'converted'}
        />
        <TextField
          label="Website"
          type="url"
          value={values.website}
          onValue={(v) => set('website', v)}
          error={errors.website}
        />
        <TextField label="Country" value={values.country} onValue={(v) => set('country', v)} error={errors.country} />
        <TextField label="State or region" value={values.state} onValue={(v) => set('state', v)} error={errors.state} />
        <TextField
          label="Address"
          class="full"
          value={values.address}
          onValue={(v) => set('address', v)}
          error={errors.address}
        />
        <TextArea
          label="Request"
          class="full"
          value={values.request}
          onValue={(v) => set('request', v)}
          error={errors.request}
          help="What they asked for"
        />
      </div>
    </Dialog>
  );
}

export function ConvertDialog({
  lead,
  onClose,
  onConverted,
}: {
  lead: Lead;
  onClose: () => void;
  onConverted: (customer: Customer) => void;
}) {
  const { meta } = useApp();
  const form = useForm(
    {
      name: lead.name,
      email: lead.email ?? '',
      phone: lead.phone ?? '',
      country: lead.country ?? '',
      currency: 'KES',
      company: lead.company ?? '',
      type: lead.company ? 'business' : 'individual',
    },
    { conflicts: 'email' },
  );
  const { values, set, errors } = form;
  const convert = () =>
    form.submit(async (v) => {
      const customer = await api.post<Customer>(`/lead/convert/${lead._id}`, v);
      toast(
        <>
          {lead.name} is now a customer. <Link to={`/customers/${customer._id}`}>Open</Link>
        </>,
      );
      onConverted(customer);
    });
  return (
    <Dialog
      open
      title={`Convert ${lead.name} to a customer`}
      onClose={onClose}
      onSubmit={convert}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="convert" busy={form.busy}>
            Convert to customer
          </Button>
        </>
      }
    >
      <p class="muted">
        A customer is made from the lead's details and what you fill in here; the lead moves to Converted and keeps a
        link to the customer.
      </p>
      {form.problem && <Alert>{form.problem}</Alert>}
      <div class="form-grid">
        <TextField label="Name" required value={values.name} onValue={(v) => set('name', v)} error={errors.name} />
        <TextField label="Company" value={values.company} onValue={(v) => set('company', v)} error={errors.company} />
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
        />
        <TextField
          label="Country"
          required
          value={values.country}
          onValue={(v) => set('country', v)}
          error={errors.country}
        />
        <SelectField
          label="Currency"
          required
          value={values.currency}
          onValue={(v) => set('currency', v)}
          error={errors.currency}
          options={currencyOptions(meta.currencies)}
        />
        <SelectField
          label="Customer type"
          value={values.type}
          onValue={(v) => set('type', v)}
          error={errors.type}
          options={meta.customertypes.map((t) => ({ value: t, label: t[0].toUpperCase() + t.slice(1) }))}
        />
      </div>
    </Dialog>
  );
}
