// API credentials of the business: create one (full access, scoped, or publishable for a web page's form; its secret
// is shown once, with a copy button), see them (prefix and last four only, scopes, origins, last use), set a webhook
// URL, revoke. A revoked secret stops working at once.
import { useState } from 'preact/hooks';
import { api, request } from '../api';
import { useApp } from '../app-context';
import { createdAt, words } from '../format';
import { useAsync, useConfirmed } from '../hooks';
import type { Credential } from '../types';
import { Button } from '../ui/Button';
import { Empty, LoadError, PageHeader } from '../ui/bits';
import { CopyButton } from '../ui/CopyButton';
import { Confirm, Dialog } from '../ui/Dialog';
import { Alert, SelectField, TextField } from '../ui/Field';
import { useForm } from '../ui/form';
import { DataTable } from '../ui/Table';
import { toast } from '../ui/toast';

type Created = Credential & { clientsecret: string };

/** A comma-separated field as the list the API takes; undefined when empty. */
const listOf = (text: string) => {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length ? items : undefined;
};

/** The server's message for a list field: about the list, or about one of its items (`scopes.1`). */
const listError = (errors: Record<string, string>, field: string) =>
  errors[field] ?? Object.entries(errors).find(([key]) => key.startsWith(`${field}.`))?.[1];

/** What a key may do, in a few words: its scopes, or for a publishable key where it may create leads from. */
const access = (c: Credential) =>
  c.origins
    ? `Create leads from ${c.origins.join(', ')}`
    : c.scopes.includes('*')
      ? 'Full access'
      : c.scopes.join(', ');

function CreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (made: Created) => void }) {
  const { meta } = useApp();
  const form = useForm({ name: '', type: 'custom', webhookurl: '', scopes: '', origins: '' });
  const { values, set, errors } = form;
  const publishable = values.type === 'publishable';
  const create = () =>
    form.submit(async (v) =>
      onCreated(
        await api.create<Created>('credential', {
          name: v.name || undefined,
          type: v.type,
          webhookurl: v.webhookurl,
          scopes: publishable ? undefined : listOf(v.scopes),
          origins: publishable ? listOf(v.origins) : undefined,
        }),
      ),
    );
  return (
    <Dialog
      open
      title="New API credential"
      onClose={onClose}
      onSubmit={create}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={form.busy}>
            Create credential
          </Button>
        </>
      }
    >
      {form.problem && <Alert>{form.problem}</Alert>}
      <div class="form-grid">
        <TextField
          label="Name"
          class="full"
          value={values.name}
          onValue={(v) => set('name', v)}
          error={errors.name}
          placeholder="e.g. Online shop"
          help="To recognise it later"
        />
        <SelectField
          label="Type"
          value={values.type}
          onValue={(v) => set('type', v)}
          error={errors.type}
          options={meta.credentialtypes.map((t) => ({ value: t, label: words(t) }))}
          help={publishable ? 'For a web page: may only create leads, only from its origins' : undefined}
        />
        {publishable ? (
          <TextField
            label="Origins"
            class="full"
            value={values.origins}
            onValue={(v) => set('origins', v)}
            error={listError(errors, 'origins')}
            placeholder="https://shop.example.com"
            help="The sites whose pages use the key, separated by commas"
          />
        ) : (
          <TextField
            label="Scopes"
            class="full"
            value={values.scopes}
            onValue={(v) => set('scopes', v)}
            error={listError(errors, 'scopes')}
            placeholder="e.g. customers:read, leads:write"
            help="Empty for full access; <resource>:write includes read"
          />
        )}
        <TextField
          label="Webhook URL"
          type="url"
          value={values.webhookurl}
          onValue={(v) => set('webhookurl', v)}
          error={errors.webhookurl}
          placeholder="https://"
          help="Optional"
        />
      </div>
    </Dialog>
  );
}

function SecretDialog({ made, onClose }: { made: Created; onClose: () => void }) {
  const example = made.origins
    ? `curl -H "Authorization: ${made.clientsecret}" -H "Origin: ${made.origins[0]}" -H "Content-Type: application/json" -d '{"name":"Test Lead"}' "${window.location.origin}/business/lead/create"`
    : `curl -H "Authorization: ${made.clientsecret}" "${window.location.origin}/business/customer/list?limit=5"`;
  return (
    <Dialog
      open
      title="Your new client secret"
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          I have stored it
        </Button>
      }
    >
      <Alert tone="warning">
        This is the only time the secret is shown. Store it now, in a password manager or your server's environment;
        mteja keeps only a hash of it.
      </Alert>
      <div class="field">
        <div class="field-label">Client secret for {made.name}</div>
        <div class="secret-box">
          <code data-secret>{made.clientsecret}</code>
          <CopyButton text={made.clientsecret} label="Copy the client secret" select="[data-secret]" />
        </div>
      </div>
      <div class="field">
        <div class="field-label">Try it</div>
        <pre class="snippet">{example}</pre>
      </div>
      <dl class="details small">
        <dt>Client id</dt>
        <dd class="mono">{made.clientid}</dd>
      </dl>
    </Dialog>
  );
}

function WebhookDialog({
  credential,
  onClose,
  onSaved,
}: {
  credential: Credential;
  onClose: () => void;
  onSaved: () => void;
}) {
  const form = useForm({ name: credential.name, webhookurl: credential.webhookurl ?? '' });
  const { values, set, errors } = form;
  const save = () =>
    form.submit(async (v) => {
      await api.update('credential', credential.clientid, { name: v.name, webhookurl: v.webhookurl || null });
      toast(v.webhookurl ? 'Webhook URL saved' : 'Credential saved');
      onSaved();
    });
  return (
    <Dialog
      open
      title={`Edit ${credential.name}`}
      onClose={onClose}
      onSubmit={save}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={form.busy}>
            Save
          </Button>
        </>
      }
    >
      {form.problem && <Alert>{form.problem}</Alert>}
      <TextField label="Name" value={values.name} onValue={(v) => set('name', v)} error={errors.name} />
      <TextField
        label="Webhook URL"
        type="url"
        value={values.webhookurl}
        onValue={(v) => set('webhookurl', v)}
        error={errors.webhookurl}
        placeholder="https://"
        help="Leave empty to remove it"
      />
    </Dialog>
  );
}

export function CredentialsPage() {
  const credentials = useAsync(() => api.get<Credential[]>('/credential/list'), []);
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<Created>();
  const [editing, setEditing] = useState<Credential>();
  const revoking = useConfirmed<Credential>();
  const rows = credentials.data
    ? [...credentials.data].sort(
        (a, b) => Number(a.revoked) - Number(b.revoked) || b.createdat.localeCompare(a.createdat),
      )
    : undefined;

  const revoke = () =>
    revoking.run(async ({ clientid, name }) => {
      await request('POST', `/credential/revoke/${clientid}`, {});
      credentials.reload();
      return `${name} revoked: its secret no longer works`;
    });

  return (
    <>
      <PageHeader
        title="API credentials"
        subtitle={
          <>
            Secrets for programs that call the API at <code>{window.location.origin}/business/…</code>
          </>
        }
        actions={
          <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
            New credential
          </Button>
        }
      />
      <section class="card">
        <div class="toolbar small muted">
          A credential's secret gives a program access to this business's records through the API: all of them, or only
          what its scopes name. A publishable key may only create leads, from the web pages of its origins. Give each
          program its own, so that one can be revoked alone.
        </div>
        {credentials.error && !rows ? (
          <LoadError error={credentials.error} retry={credentials.reload} />
        ) : (
          <DataTable<Credential & { _id?: string }>
            caption="API credentials"
            loading={credentials.loading}
            rows={rows?.map((c) => ({ ...c, _id: c.clientid }))}
            skeletonRows={2}
            empty={
              <Empty
                icon="key"
                title="No credentials"
                action={
                  <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
                    New credential
                  </Button>
                }
              >
                A credential's secret lets a program read and write this business's records.
              </Empty>
            }
            columns={[
              {
                label: 'Name',
                class: 'col-name',
                cell: (c) => (
                  <>
                    <div class="primary-text">{c.name}</div>
                    <div class="secondary-text">{words(c.type)}</div>
                    <div class="secondary-text mono">{c.clientid}</div>
                  </>
                ),
              },
              { label: 'Secret', cell: (c) => <code class="nowrap">{c.secret}</code> },
              { label: 'Access', cell: (c) => <span class="small">{access(c)}</span> },
              {
                label: 'Webhook URL',
                class: 'hide-md col-fill',
                cell: (c) =>
                  c.webhookurl ? (
                    <span class="mono small truncate" title={c.webhookurl}>
                      {c.webhookurl}
                    </span>
                  ) : (
                    <span class="muted">—</span>
                  ),
              },
              {
                label: 'Created, last used',
                class: 'hide-md',
                cell: (c) => (
                  <>
                    <div class="nowrap">{createdAt(c.createdat)}</div>
                    <div class="secondary-text nowrap">
                      {c.lastusedat ? `Used ${createdAt(c.lastusedat)}` : 'Never used'}
                    </div>
                  </>
                ),
              },
              {
                label: 'Status',
                cell: (c) => (
                  <span class={`badge ${c.revoked ? 'red' : 'green'}`}>{c.revoked ? 'Revoked' : 'Active'}</span>
                ),
              },
              {
                label: 'Actions',
                class: 'num',
                cell: (c) =>
                  !c.revoked && (
                    <div class="row wrap end">
                      <Button
                        small
                        icon="link"
                        onClick={() => setEditing(c)}
                        aria-label={`Edit ${c.name} and its webhook URL`}
                      >
                        Webhook
                      </Button>
                      <Button small variant="danger" onClick={() => revoking.ask(c)} aria-label={`Revoke ${c.name}`}>
                        Revoke
                      </Button>
                    </div>
                  ),
              },
            ]}
          />
        )}
      </section>
      {creating && (
        <CreateDialog
          onClose={() => setCreating(false)}
          onCreated={(m) => {
            setCreating(false);
            setMade(m);
            credentials.reload();
          }}
        />
      )}
      {made && <SecretDialog made={made} onClose={() => setMade(undefined)} />}
      {editing && (
        <WebhookDialog
          credential={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            credentials.reload();
          }}
        />
      )}
      <Confirm
        open={Boolean(revoking.target)}
        title={`Revoke ${revoking.target?.name ?? ''}?`}
        body={
          <>
            Programs using <code>{revoking.target?.secret}</code> will get 401 from their next request. This cannot be
            undone.
          </>
        }
        confirm="Revoke credential"
        danger
        busy={revoking.busy}
        onConfirm={() => void revoke()}
        onClose={revoking.close}
      />
    </>
  );
}
