// Settings → Webhooks: endpoints with status and recent success rate; add/edit with an events checklist; reveal and
// rotate the secret; a test event; disable, enable or delete; each endpoint's delivery log (Redeliver, every attempt
// under the last) and an event's page with its deliveries.
import { useState } from 'preact/hooks';
import { api, request } from '../api';
import { dateTime } from '../format';
import { useAsync, useConfirmed } from '../hooks';
import type { WebhookDelivery, WebhookEndpoint } from '../types';
import { Button } from '../ui/Button';
import { Empty, LoadError, PageHeader } from '../ui/bits';
import { Confirm, Dialog } from '../ui/Dialog';
import { Alert, Checkbox, TextField } from '../ui/Field';
import { useForm } from '../ui/form';
import { DataTable } from '../ui/Table';
import { toast, toastError } from '../ui/toast';

type Listed = WebhookEndpoint & { recent: { total: number; succeeded: number } };
type EventType = { type: string; description: string };

/** Why an endpoint is disabled, its instants (ISO, from the server) shown as the rest of the page shows them. */
const reason = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, (at) => dateTime(at));

const rate = ({ total, succeeded }: Listed['recent']) =>
  total === 0 ? '—' : `${Math.round((succeeded / total) * 100)}% of ${total}`;

function EndpointDialog({
  endpoint,
  onClose,
  onSaved,
}: {
  endpoint?: Listed;
  onClose: () => void;
  onSaved: (secret?: string) => void;
}) {
  const types = useAsync(() => api.get<EventType[]>('/webhook/events'), []);
  const form = useForm({ url: endpoint?.url ?? '', description: endpoint?.description ?? '' });
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? ['*']);
  const all = events.includes('*');
  const toggle = (type: string, on: boolean) =>
    setEvents((now) => (on ? [...now.filter((e) => e !== '*'), type] : now.filter((e) => e !== type)));
  const save = () =>
    form.submit(async (v) => {
      const body = { url: v.url, description: v.description || null, events: events.length ? events : ['*'] };
      if (endpoint) {
        await api.update('webhook', endpoint._id, body);
        toast('Endpoint saved');
        onSaved();
      } else onSaved((await api.create<{ secret: string }>('webhook', body)).secret);
    });
  return (
    <Dialog
      open
      title={endpoint ? 'Edit endpoint' : 'Add endpoint'}
      onClose={onClose}
      onSubmit={save}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={form.busy}>
            {endpoint ? 'Save' : 'Add endpoint'}
          </Button>
        </>
      }
    >
      {form.problem && <Alert>{form.problem}</Alert>}
      <TextField
        label="Endpoint URL"
        type="url"
        value={form.values.url}
        onValue={(v) => form.set('url', v)}
        error={form.errors.url}
        placeholder="https://"
        required
      />
      <TextField
        label="Description"
        value={form.values.description}
        onValue={(v) => form.set('description', v)}
        error={form.errors.description}
        help="Optional"
      />
      <fieldset class="field">
        <legend class="field-label">Events</legend>
        {form.errors.events && <Alert>{form.errors.events}</Alert>}
        <Checkbox
          label="Every event"
          checked={all}
          onValue={(on) => setEvents(on ? ['*'] : [])}
          help="Including types added later"
        />
        {!all &&
          types.data
            ?.filter((t) => t.type !== 'ping')
            .map((t) => (
              <Checkbox
                key={t.type}
                label={t.type}
                help={t.description}
                checked={events.includes(t.type)}
                onValue={(on) => toggle(t.type, on)}
              />
            ))}
      </fieldset>
    </Dialog>
  );
}

function SecretDialog({ title, secret, onClose }: { title: string; secret: string; onClose: () => void }) {
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <Alert tone="warning">
        Verify each request's webhook-signature (any Standard Webhooks library) or x-cashfin-signature with it.
      </Alert>
      <div class="secret-box">
        <code data-secret>{secret}</code>
      </div>
    </Dialog>
  );
}

/** A delivery's attempts before its last, oldest first, folded under the last one's answer. */
function EarlierAttempts({ delivery }: { delivery: WebhookDelivery }) {
  const earlier = delivery.earlierattempts;
  if (earlier.length === 0) return null;
  return (
    <details class="attempts small">
      <summary>{earlier.length === 1 ? '1 earlier attempt' : `${earlier.length} earlier attempts`}</summary>
      <ol>
        {earlier.map((a) => {
          const answer = a.responsebody || a.error;
          return (
            <li key={a.attempt}>
              <div>
                Attempt {a.attempt} · {a.responsestatus ?? 'no answer'}
                {a.latencyms === null ? '' : ` · ${a.latencyms} ms`}
              </div>
              <time class="muted" dateTime={a.at}>
                {dateTime(a.at)}
              </time>
              {answer && (
                <div class="mono truncate" title={answer}>
                  {answer}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </details>
  );
}

function EventDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const page = useAsync(() => api.get<{ event: object; deliveries: WebhookDelivery[] }>(`/webhook/event/${id}`), [id]);
  return (
    <Dialog open title={`Event ${id}`} onClose={onClose} footer={<Button onClick={onClose}>Close</Button>}>
      {page.error && <LoadError error={page.error} retry={page.reload} />}
      {page.data && (
        <>
          <pre class="snippet">{JSON.stringify(page.data.event, null, 2).slice(0, 4096)}</pre>
          <ul>
            {page.data.deliveries.map((d) => (
              <li key={d._id}>
                {d.endpointid}: {d.status}, {d.attempts} attempt(s){d.responsestatus ? `, ${d.responsestatus}` : ''}
                <EarlierAttempts delivery={d} />
              </li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}

function DeliveriesDialog({ endpoint, onClose }: { endpoint: Listed; onClose: () => void }) {
  const log = useAsync(
    () => api.get<WebhookDelivery[]>(`/webhook/deliveries/${endpoint._id}`, { limit: 50 }),
    [endpoint._id],
  );
  const [event, setEvent] = useState<string>();
  const again = async (d: WebhookDelivery) => {
    try {
      await api.post(`/webhook/redeliver/${d._id}`);
      toast('Delivery queued again');
      setTimeout(log.reload, 1000);
    } catch (error) {
      toastError((error as Error).message);
    }
  };
  return (
    <Dialog
      open
      title={`Deliveries to ${endpoint.url}`}
      size="wide"
      onClose={onClose}
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <DataTable<WebhookDelivery>
        caption="Deliveries"
        loading={log.loading}
        rows={log.data}
        empty={
          <Empty icon="link" title="No deliveries yet">
            Send a test event to see one here.
          </Empty>
        }
        columns={[
          {
            label: 'Event',
            cell: (d) => (
              <Button small onClick={() => setEvent(d.eventid)}>
                {d.eventtype}
              </Button>
            ),
          },
          {
            label: 'Status',
            // With the time of the last attempt under it: when it was tried is what one asks first.
            cell: (d) => (
              <>
                <span class={`badge ${d.status === 'succeeded' ? 'green' : d.status === 'failed' ? 'red' : ''}`}>
                  {d.status}
                </span>
                {d.lastattemptat && (
                  <div class="muted small">
                    <time dateTime={d.lastattemptat}>{dateTime(d.lastattemptat)}</time>
                  </div>
                )}
              </>
            ),
          },
          { label: 'Attempt', class: 'num', cell: (d) => d.attempts },
          { label: 'Code', class: 'num', cell: (d) => d.responsestatus ?? '—' },
          { label: 'Latency', class: 'num', cell: (d) => (d.latencyms === null ? '—' : `${d.latencyms} ms`) },
          // Retries come seconds to hours apart: the time matters, not only the day.
          { label: 'Next retry', cell: (d) => (d.nextattemptat ? dateTime(d.nextattemptat) : '—') },
          {
            label: 'Answer',
            class: 'col-fill',
            cell: (d) => (
              <>
                <span class="mono small truncate" title={d.responsebody ?? d.error ?? ''}>
                  {d.error ?? d.responsebody ?? ''}
                </span>
                <EarlierAttempts delivery={d} />
              </>
            ),
          },
          {
            label: 'Actions',
            class: 'num',
            cell: (d) => (
              <Button small onClick={() => void again(d)} aria-label={`Redeliver ${d.eventtype}`}>
                Redeliver
              </Button>
            ),
          },
        ]}
      />
      {event && <EventDialog id={event} onClose={() => setEvent(undefined)} />}
    </Dialog>
  );
}

export function WebhooksPage() {
  const endpoints = useAsync(() => api.get<Listed[]>('/webhook/list'), []);
  const [editing, setEditing] = useState<Listed | 'new'>();
  const [secret, setSecret] = useState<{ title: string; secret: string }>();
  const [log, setLog] = useState<Listed>();
  const act = async (path: string, done: string) => {
    try {
      const data = await api.post<{ secret?: string }>(path);
      if (data?.secret)
        setSecret({ title: 'New signing secret (the old one signs beside it for 24 hours)', secret: data.secret });
      else toast(done);
      endpoints.reload();
    } catch (error) {
      toastError((error as Error).message);
    }
  };
  const reveal = async (e: Listed) => {
    try {
      const data = await request<{ data: { secret: string } }>('GET', `/webhook/secret/${e._id}`);
      setSecret({ title: 'Signing secret', secret: data.data.secret });
    } catch (error) {
      toastError((error as Error).message);
    }
  };
  const deleting = useConfirmed<Listed>();
  const remove = () =>
    deleting.run(async ({ _id }) => {
      await api.post(`/webhook/delete/${_id}`);
      endpoints.reload();
      return 'Endpoint deleted';
    });
  const add = (
    <Button variant="primary" icon="plus" onClick={() => setEditing('new')}>
      Add endpoint
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Webhooks"
        subtitle="Where this business's changes are POSTed, signed, as they happen"
        actions={add}
      />
      <section class="card">
        {endpoints.error && !endpoints.data ? (
          <LoadError error={endpoints.error} retry={endpoints.reload} />
        ) : (
          <DataTable<Listed>
            caption="Webhook endpoints"
            loading={endpoints.loading}
            rows={endpoints.data}
            empty={
              <Empty icon="link" title="No endpoints" action={add}>
                Add one to receive an event for every change.
              </Empty>
            }
            columns={[
              {
                label: 'URL',
                class: 'col-fill',
                cell: (e) => (
                  <>
                    <div class="mono small truncate">{e.url}</div>
                    <div class="secondary-text">{e.description}</div>
                  </>
                ),
              },
              { label: 'Events', cell: (e) => <span class="small">{e.events.join(', ')}</span> },
              {
                label: 'Status',
                cell: (e) => (
                  <>
                    <span class={`badge ${e.status === 'enabled' ? 'green' : 'red'}`}>{e.status}</span>
                    {e.disabledreason && <div class="secondary-text">{reason(e.disabledreason)}</div>}
                  </>
                ),
              },
              { label: 'Last 24 h', cell: (e) => rate(e.recent) },
              {
                label: 'Actions',
                class: 'num',
                cell: (e) => (
                  <div class="row wrap end">
                    <Button small onClick={() => setEditing(e)}>
                      Edit
                    </Button>
                    <Button small onClick={() => void act(`/webhook/test/${e._id}`, 'Test event sent')}>
                      Send test
                    </Button>
                    <Button small onClick={() => setLog(e)}>
                      Deliveries
                    </Button>
                    <Button small onClick={() => void reveal(e)}>
                      Secret
                    </Button>
                    <Button small onClick={() => void act(`/webhook/rotate/${e._id}`, 'Rotated')}>
                      Rotate
                    </Button>
                    <Button
                      small
                      onClick={() =>
                        void act(
                          `/webhook/${e.status === 'enabled' ? 'disable' : 'enable'}/${e._id}`,
                          e.status === 'enabled' ? 'Disabled' : 'Enabled',
                        )
                      }
                    >
                      {e.status === 'enabled' ? 'Disable' : 'Enable'}
                    </Button>
                    {/* A key's webhook URL follows its key: it is removed there, not here. */}
                    {!e.credentialid && (
                      <Button small onClick={() => deleting.ask(e)}>
                        Delete
                      </Button>
                    )}
                  </div>
                ),
              },
            ]}
          />
        )}
      </section>
      {editing && (
        <EndpointDialog
          endpoint={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={(made) => {
            setEditing(undefined);
            if (made) setSecret({ title: 'Your endpoint’s signing secret', secret: made });
            endpoints.reload();
          }}
        />
      )}
      {secret && <SecretDialog {...secret} onClose={() => setSecret(undefined)} />}
      {log && <DeliveriesDialog endpoint={log} onClose={() => setLog(undefined)} />}
      <Confirm
        open={Boolean(deleting.target)}
        title="Delete this endpoint?"
        body={
          <>
            <code>{deleting.target?.url}</code> gets no more events, and its delivery log is deleted with it. This
            cannot be undone; Disable keeps both.
          </>
        }
        confirm="Delete endpoint"
        danger
        busy={deleting.busy}
        onConfirm={() => void remove()}
        onClose={deleting.close}
      />
    </>
  );
}
