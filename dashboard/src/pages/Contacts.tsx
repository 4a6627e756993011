// Contacts: the business's directory, searchable; created and edited in a dialog.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { createdAt } from '../format';
import { useAsync } from '../hooks';
import { SearchBox, useListState } from '../list-state';
import type { Contact, ContactCreate } from '../types';
import { Button } from '../ui/Button';
import { Empty, PageHeader } from '../ui/bits';
import { Dialog } from '../ui/Dialog';
import { Alert, TextField } from '../ui/Field';
import { fieldsOf, texts, useForm } from '../ui/form';
import { PagedTable } from '../ui/Table';
import { toast } from '../ui/toast';

/** What the contact form edits and sends, as text: every field of the server's create body. */
const CONTACT_FIELDS = fieldsOf<ContactCreate>()(['name', 'email', 'phone', 'position', 'companyname']);

function ContactForm({ contact, onClose, onSaved }: { contact?: Contact; onClose: () => void; onSaved: () => void }) {
  const form = useForm(texts(CONTACT_FIELDS, contact));
  const { values, set, errors } = form;
  const save = () =>
    form.submit(async (v) => {
      if (contact) await api.update('contact', contact._id, v);
      else await api.create('contact', v);
      toast(contact ? 'Contact saved' : `Contact ${v.name} added`);
      onSaved();
    });
  return (
    <Dialog
      open
      title={contact ? `Edit ${contact.name}` : 'New contact'}
      onClose={onClose}
      onSubmit={save}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={form.busy}>
            {contact ? 'Save changes' : 'Add contact'}
          </Button>
        </>
      }
    >
      {form.problem && <Alert>{form.problem}</Alert>}
      <div class="form-grid">
        <TextField
          label="Name"
          class="full"
          required
          value={values.name}
          onValue={(v) => set('name', v)}
          error={errors.name}
        />
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
          label="Position"
          value={values.position}
          onValue={(v) => set('position', v)}
          error={errors.position}
          placeholder="e.g. Procurement Manager"
        />
        <TextField
          label="Company name"
          value={values.companyname}
          onValue={(v) => set('companyname', v)}
          error={errors.companyname}
        />
      </div>
    </Dialog>
  );
}

export function ContactsPage() {
  const list = useListState();
  const contacts = useAsync(
    () => api.list<Contact>('contact', { page: list.page, limit: list.limit, search: list.search }),
    [list.page, list.limit, list.search],
  );
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  return (
    <>
      <PageHeader
        title="Contacts"
        subtitle="People you deal with, customers or not"
        actions={
          <Button variant="primary" icon="plus" onClick={() => setEditing('new')}>
            New contact
          </Button>
        }
      />
      <section class="card">
        <div class="toolbar">
          <SearchBox list={list} label="Search name, email, phone or company" />
        </div>
        <PagedTable<Contact>
          state={contacts}
          list={list}
          caption="Contacts"
          onRowClick={(c) => setEditing(c)}
          empty={
            list.search ? (
              <Empty
                icon="search"
                title="No contacts match"
                action={<Button onClick={() => list.set({ search: undefined })}>Clear search</Button>}
              >
                Try another name, email, phone or company.
              </Empty>
            ) : (
              <Empty
                icon="contacts"
                title="No contacts yet"
                action={
                  <Button variant="primary" icon="plus" onClick={() => setEditing('new')}>
                    New contact
                  </Button>
                }
              >
                Keep suppliers, partners and customers' staff here.
              </Empty>
            )
          }
          columns={[
            {
              label: 'Name',
              cell: (c) => (
                <button type="button" class="link-button" onClick={() => setEditing(c)}>
                  {c.name}
                </button>
              ),
            },
            { label: 'Position', cell: (c) => c.position ?? <span class="muted">—</span>, class: 'hide-sm' },
            { label: 'Company', cell: (c) => c.companyname ?? <span class="muted">—</span> },
            {
              label: 'Email',
              cell: (c) => (c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : <span class="muted">—</span>),
              class: 'hide-sm',
            },
            { label: 'Phone', cell: (c) => <span class="nowrap">{c.phone ?? '—'}</span>, class: 'hide-md' },
            {
              label: 'Added',
              cell: (c) => <span class="nowrap muted">{createdAt(c.createdat)}</span>,
              class: 'hide-md',
            },
          ]}
        />
      </section>
      {editing && (
        <ContactForm
          contact={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            contacts.reload();
          }}
        />
      )}
    </>
  );
}
