// Contracts: filter by status and type; each opens in a dialog to edit its terms and move its status. The end date
// must follow the start date, as the server checks.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { useApp } from '../app-context';
import { date, dateInput, money, words } from '../format';
import { useAsync } from '../hooks';
import { FilterChips, SearchBox, useListState } from '../list-state';
import { setQuery } from '../router';
import type { Contract, ContractCreate, Customer } from '../types';
import { Button } from '../ui/Button';
import { Empty, PageHeader, StatusBadge } from '../ui/bits';
import { CustomerPicker, type CustomerRef } from '../ui/CustomerPicker';
import { Dialog } from '../ui/Dialog';
import { Alert, Checkbox, SelectField, TextArea, TextField } from '../ui/Field';
import { toNumber, useForm } from '../ui/form';
import { PagedTable } from '../ui/Table';
import { toast, toastError } from '../ui/toast';
import { currencyOptions } from './CustomerForm';

const TYPES = ['service', 'maintenance', 'support', 'sales', 'nda'];
const ACTIONS: Record<string, string> = {
  sent: 'Mark as sent',
  signed: 'Mark signed',
  active: 'Activate',
  expired: 'Mark expired',
  terminated: 'Terminate',
  draft: 'Back to draft',
};

/**
 * Every field of the server's create body as the form holds it (the status moves by its own buttons): text (the
 * value and dates too, until sent), the customer as picked, and the renewal switch.
 */
type Values = Record<Exclude<keyof ContractCreate, 'customerid' | 'autorenew' | 'status'>, string> & {
  customer: CustomerRef | null;
  autorenew: boolean;
};

function ContractDialog({
  contract,
  customerId,
  onClose,
  onChanged,
}: {
  contract?: Contract;
  customerId?: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { meta } = useApp();
  const form = useForm<Values>({
    title: contract?.title ?? '',
    type: contract?.type ?? 'service',
    customer: contract?.customer ?? null,
    value: contract ? String(contract.value) : '',
    currency: contract?.currency ?? 'KES',
    startdate: dateInput(contract?.startdate),
    enddate: dateInput(contract?.enddate),
    signeddate: dateInput(contract?.signeddate),
    autorenew: contract?.autorenew ?? false,
    description: contract?.description ?? '',
  });
  const { values, set, setValues, errors } = form;
  const [moving, setMoving] = useState<string>();
  const editable = !contract || meta.contracteditable.includes(contract.status);

  // A new contract from a customer's page starts with that customer and their currency (kept with what was typed
  // meanwhile).
  useEffect(() => {
    if (!customerId || contract) return;
    api.details<Customer>('customer', customerId).then(
      (c) => setValues((current) => ({ ...current, customer: c, currency: c.currency })),
      () => undefined,
    );
  }, [customerId, contract, setValues]);

  const save = () =>
    form.submit(async (v) => {
      const { customer, ...terms } = v;
      const body = {
        ...terms,
        customerid: customer?._id ?? null,
        value: toNumber(v.value),
        startdate: v.startdate || null,
        enddate: v.enddate || null,
        signeddate: v.signeddate || null,
      };
      if (contract) await api.update('contract', contract._id, body);
      else {
        const made = await api.create<Contract>('contract', body);
        toast(`Contract ${made.contractno} created`);
      }
      if (contract) toast('Contract saved');
      onChanged();
    });

  const moveTo = async (status: string) => {
    setMoving(status);
    try {
      await api.update('contract', contract!._id, { status });
      toast(`${contract!.contractno} is now ${words(status).toLowerCase()}`);
      onChanged();
    } catch (error) {
      toastError(error instanceof ApiError ? (error.errors.status ?? error.message) : String(error));
    } finally {
      setMoving(undefined);
    }
  };

  return (
    <Dialog
      open
      size="wide"
      title={
        contract ? (
          <span class="row wrap">
            <span class="mono">{contract.contractno}</span>
            <StatusBadge status={contract.status} />
          </span>
        ) : (
          'New contract'
        )
      }
      onClose={onClose}
      onSubmit={editable ? save : undefined}
      footer={
        <>
          {contract &&
            meta.contracttransitions[contract.status].map((s) => (
              <Button
                key={s}
                variant={s === 'terminated' ? 'danger' : 'secondary'}
                busy={moving === s}
                disabled={Boolean(moving)}
                onClick={() => void moveTo(s)}
              >
                {ACTIONS[s] ?? words(s)}
              </Button>
            ))}
          <div class="spacer" />
          <Button onClick={onClose}>{editable ? 'Cancel' : 'Close'}</Button>
          {editable && (
            <Button type="submit" variant="primary" busy={form.busy}>
              {contract ? 'Save changes' : 'Create contract'}
            </Button>
          )}
        </>
      }
    >
      {!editable && <Alert tone="info">An {contract!.status} contract's terms are final.</Alert>}
      {form.problem && <Alert>{form.problem}</Alert>}
      <fieldset disabled={!editable} class="plain-fieldset">
        <div class="form-grid">
          <TextField
            label="Title"
            class="full"
            required
            value={values.title}
            onValue={(v) => set('title', v)}
            error={errors.title}
            placeholder="e.g. Annual support agreement"
          />
          <CustomerPicker
            label="Customer"
            value={values.customer}
            error={errors.customerid}
            onChange={(c) => form.setValues({ ...values, customer: c, currency: c?.currency ?? values.currency })}
          />
          <TextField
            label="Type"
            list="contract-types"
            value={values.type}
            onValue={(v) => set('type', v)}
            error={errors.type}
            help="e.g. service, maintenance, nda"
          />
          <datalist id="contract-types">
            {TYPES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <TextField
            label="Value"
            required
            inputMode="decimal"
            value={values.value}
            onValue={(v) => set('value', v)}
            error={errors.value}
            placeholder="0.00"
          />
          <SelectField
            label="Currency"
            required
            value={values.currency}
            onValue={(v) => set('currency', v)}
            error={errors.currency}
            options={currencyOptions(meta.currencies)}
          />
          <TextField
            label="Start date"
            type="date"
            value={values.startdate}
            onValue={(v) => set('startdate', v)}
            error={errors.startdate}
          />
          <TextField
            label="End date"
            type="date"
            value={values.enddate}
            onValue={(v) => set('enddate', v)}
            error={errors.enddate}
            help="After the start date"
          />
          <TextField
            label="Signed on"
            type="date"
            value={values.signeddate}
            onValue={(v) => set('signeddate', v)}
            error={errors.signeddate}
            help="Filled in when it is marked signed"
          />
          <div class="field end">
            <Checkbox label="Renews automatically" checked={values.autorenew} onValue={(v) => set('autorenew', v)} />
          </div>
          <TextArea
            label="Description"
            class="full"
            rows={3}
            value={values.description}
            onValue={(v) => set('description', v)}
            error={errors.description}
          />
        </div>
      </fieldset>
    </Dialog>
  );
}

export function ContractsPage() {
  const { meta } = useApp();
  const list = useListState();
  const status = list.get('status');
  const type = list.get('type');
  const contracts = useAsync(
    () => api.list<Contract>('contract', { page: list.page, limit: list.limit, search: list.search, status, type }),
    [list.page, list.limit, list.search, status, type],
  );
  const open = list.get('open');
  const creating = list.get('new') === '1';
  const opened = useAsync(() => (open ? api.details<Contract>('contract', open) : Promise.resolve(undefined)), [open]);
  const close = () => setQuery({ open: undefined, new: undefined, customer: undefined });

  return (
    <>
      <PageHeader
        title="Contracts"
        subtitle="Agreements with customers, from draft to signed, active and beyond"
        actions={
          <Button variant="primary" icon="plus" onClick={() => setQuery({ new: 1 })}>
            New contract
          </Button>
        }
      />
      <section class="card">
        <div class="toolbar">
          <SearchBox list={list} label="Search title, number or description" />
          <FilterChips
            label="Status"
            value={status}
            options={meta.contractstatuses}
            onChange={(v) => list.set({ status: v })}
          />
          <select
            aria-label="Contract type"
            class="inline-select"
            value={type}
            onChange={(e) => list.set({ type: e.currentTarget.value })}
          >
            <option value="">Any type</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {words(t)}
              </option>
            ))}
          </select>
        </div>
        <PagedTable<Contract>
          state={contracts}
          list={list}
          caption="Contracts"
          onRowClick={(c) => setQuery({ open: c._id })}
          empty={
            list.search || status || type ? (
              <Empty
                icon="search"
                title="No contracts match"
                action={
                  <Button onClick={() => list.set({ search: undefined, status: undefined, type: undefined })}>
                    Clear filters
                  </Button>
                }
              >
                Try another search or filter.
              </Empty>
            ) : (
              <Empty
                icon="contracts"
                title="No contracts yet"
                action={
                  <Button variant="primary" icon="plus" onClick={() => setQuery({ new: 1 })}>
                    New contract
                  </Button>
                }
              >
                Record what you agreed with a customer, its value and its dates.
              </Empty>
            )
          }
          columns={[
            {
              label: 'Number',
              cell: (c) => (
                <button type="button" class="link-button mono nowrap" onClick={() => setQuery({ open: c._id })}>
                  {c.contractno}
                </button>
              ),
            },
            {
              label: 'Title',
              cell: (c) => (
                <>
                  <div>{c.title}</div>
                  {c.customer && <div class="secondary-text">{c.customer.name}</div>}
                </>
              ),
            },
            { label: 'Type', class: 'hide-sm', cell: (c) => words(c.type) },
            { label: 'Status', cell: (c) => <StatusBadge status={c.status} /> },
            {
              label: 'Value',
              class: 'num',
              cell: (c) => <span class="nowrap strong">{money(c.value, c.currency)}</span>,
            },
            {
              label: 'Period',
              class: 'hide-md',
              cell: (c) => (
                <span class="nowrap">
                  {date(c.startdate)} – {date(c.enddate)}
                </span>
              ),
            },
            { label: 'Renews', class: 'hide-md', cell: (c) => (c.autorenew ? 'Yes' : 'No') },
          ]}
        />
      </section>
      {creating && (
        <ContractDialog
          customerId={list.get('customer') || undefined}
          onClose={close}
          onChanged={() => {
            close();
            contracts.reload();
          }}
        />
      )}
      {open && opened.data && (
        <ContractDialog
          key={opened.data.updatedat}
          contract={opened.data}
          onClose={close}
          onChanged={() => {
            opened.reload();
            contracts.reload();
          }}
        />
      )}
    </>
  );
}
