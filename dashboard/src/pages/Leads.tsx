// Leads as a pipeline board: a column per stage; drag a card, or use its "Move to" menu, to change its stage;
// moving to Converted converts the lead into a customer.
import { useState } from 'preact/hooks';
import { api, type Page } from '../api';
import { useApp } from '../app-context';
import { compact, number, words } from '../format';
import { useAsync } from '../hooks';
import { SearchBox, useListState } from '../list-state';
import type { Lead } from '../types';
import { Button } from '../ui/Button';
import { LoadError, PageHeader, placeholders } from '../ui/bits';
import { toast, toastError } from '../ui/toast';
import { ConvertDialog, LeadForm } from './LeadForms';

const STAGE_HELP: Record<string, string> = {
  new: 'Just arrived',
  contacted: 'In conversation',
  qualified: 'A real opportunity',
  converted: 'Now customers',
  lost: 'Not going ahead',
};

export function LeadsPage() {
  const { meta } = useApp();
  const list = useListState();
  const [limits, setLimits] = useState<Record<string, number>>({});
  const board = useAsync(async () => {
    const pages = await Promise.all(
      meta.leadstatuses.map((status) =>
        api.list<Lead>('lead', { status, search: list.search, limit: limits[status] ?? 25 }),
      ),
    );
    return Object.fromEntries(meta.leadstatuses.map((s, i) => [s, pages[i]])) as Record<string, Page<Lead>>;
  }, [list.search, JSON.stringify(limits)]);
  const [editing, setEditing] = useState<Lead | 'new' | null>(null);
  const [converting, setConverting] = useState<Lead | null>(null);
  const [dragging, setDragging] = useState<Lead | null>(null);
  const [over, setOver] = useState<string | null>(null);

  async function move(lead: Lead, status: string) {
    if (status === lead.status) return;
    if (status === 'converted') {
      setConverting(lead);
      return;
    }
    const before = board.data!;
    // Move the card at once; put it back if the server refuses.
    const after = { ...before };
    after[lead.status] = {
      ...before[lead.status],
      data: before[lead.status].data.filter((l) => l._id !== lead._id),
      pagination: { ...before[lead.status].pagination, total: before[lead.status].pagination.total - 1 },
    };
    after[status] = {
      ...before[status],
      data: [{ ...lead, status: status as Lead['status'] }, ...before[status].data],
      pagination: { ...before[status].pagination, total: before[status].pagination.total + 1 },
    };
    board.setData(after);
    try {
      await api.update('lead', lead._id, { status });
      toast(`${lead.name} moved to ${words(status)}`);
    } catch (error) {
      board.setData(before);
      toastError((error as Error).message);
    }
  }

  if (board.error && !board.data) return <LoadError error={board.error} retry={board.reload} />;
  const total = board.data ? Object.values(board.data).reduce((s, p) => s + p.pagination.total, 0) : undefined;

  return (
    <>
      <PageHeader
        title="Leads"
        subtitle={
          total === undefined ? 'Your sales pipeline' : `${number(total)} lead${total === 1 ? '' : 's'} in the pipeline`
        }
        actions={
          <Button variant="primary" icon="plus" onClick={() => setEditing('new')}>
            New lead
          </Button>
        }
      />
      <div class="row wrap mb">
        <SearchBox list={list} label="Search name, email, phone or company" />
        <span class="small muted">Drag a card to another stage, or use its menu.</span>
      </div>
      <div class="board" aria-busy={board.loading ? 'true' : 'false'}>
        {meta.leadstatuses.map((status) => {
          const page = board.data?.[status];
          const budget = page?.data.reduce((s, l) => s + (l.budget ?? 0), 0) ?? 0;
          return (
            <section
              key={status}
              class={`column${over === status ? ' drop' : ''}`}
              aria-label={`${words(status)} leads`}
              onDragOver={(e) => {
                if (!dragging) return;
                e.preventDefault();
                setOver(status);
              }}
              onDragLeave={() => setOver((s) => (s === status ? null : s))}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                if (dragging) void move(dragging, status);
                setDragging(null);
              }}
            >
              <div class="column-head">
                <h2>
                  <span
                    class={`badge ${({ new: 'blue', contacted: 'violet', qualified: 'amber', converted: 'green', lost: 'red' } as Record<string, string>)[status]}`}
                  >
                    {words(status)}
                  </span>
                </h2>
                <span class="count">
                  <span aria-hidden="true">{page ? number(page.pagination.total) : '…'}</span>
                  <span class="sr-only">{`${page?.pagination.total ?? 0} leads`}</span>
                </span>
              </div>
              <div class="column-sum">
                {STAGE_HELP[status]}
                {budget > 0 ? ` · budgets ${compact(budget)}` : ''}
              </div>
              <div class="column-cards">
                {!page &&
                  placeholders(3).map((n) => (
                    <div key={n} class="lead-card">
                      <span class="skeleton" style={{ width: '70%' }} />
                      <span class="skeleton" style={{ width: '45%' }} />
                    </div>
                  ))}
                {page?.data.length === 0 && (
                  <p class="small muted column-empty">{list.search ? 'No match here' : 'No leads at this stage'}</p>
                )}
                {page?.data.map((lead) => (
                  <article
                    key={lead._id}
                    class={`lead-card${dragging?._id === lead._id ? ' dragging' : ''}`}
                    draggable
                    onDragStart={(e) => {
                      e.dataTransfer?.setData('text/plain', lead._id);
                      setDragging(lead);
                    }}
                    onDragEnd={() => {
                      setDragging(null);
                      setOver(null);
                    }}
                  >
                    <button type="button" class="name" onClick={() => setEditing(lead)}>
                      {lead.name}
                    </button>
                    <div class="meta">
                      {lead.company && <span>{lead.company}</span>}
                      {lead.source && <span class="badge plain">{words(lead.source)}</span>}
                    </div>
                    {(lead.budget != null || lead.email) && (
                      <div class="meta">
                        {lead.budget != null && <span>Budget {number(lead.budget)}</span>}
                        {lead.email && <span>{lead.email}</span>}
                      </div>
                    )}
                    <div class="foot">
                      {lead.status === 'converted' ? (
                        <span class="small muted">Converted to a customer</span>
                      ) : (
                        <>
                          <select
                            aria-label={`Move ${lead.name} to`}
                            value=""
                            onChange={(e) => void move(lead, e.currentTarget.value)}
                          >
                            <option value="" disabled>
                              Move to…
                            </option>
                            {meta.leadstatuses
                              .filter((s) => s !== status)
                              .map((s) => (
                                <option key={s} value={s}>
                                  {s === 'converted' ? 'Converted (make customer)…' : words(s)}
                                </option>
                              ))}
                          </select>
                          {lead.status === 'qualified' && (
                            <Button small icon="convert" onClick={() => setConverting(lead)}>
                              Convert
                            </Button>
                          )}
                        </>
                      )}
                    </div>
                  </article>
                ))}
                {page && page.data.length < page.pagination.total && (
                  <Button
                    small
                    variant="ghost"
                    onClick={() => setLimits({ ...limits, [status]: Math.min(100, (limits[status] ?? 25) + 25) })}
                  >
                    Show more ({number(page.pagination.total - page.data.length)} more)
                  </Button>
                )}
              </div>
            </section>
          );
        })}
      </div>
      {editing && (
        <LeadForm
          lead={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            board.reload();
          }}
        />
      )}
      {converting && (
        <ConvertDialog
          lead={converting}
          onClose={() => setConverting(null)}
          onConverted={() => {
            setConverting(null);
            board.reload();
          }}
        />
      )}
    </>
  );
}
