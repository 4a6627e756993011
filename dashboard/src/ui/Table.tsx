// Data tables: columns declared once, skeleton rows while loading, an empty state, rows that open their record
// (by mouse anywhere on the row, by keyboard through the link in the first cell).
import type { ComponentChildren } from 'preact';
import type { Page } from '../api';
import type { Async } from '../hooks';
import type { ListState } from '../list-state';
import { navigate } from '../router';
import { BusyBar, LoadError, placeholders } from './bits';

export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  class?: string;
}

interface TableProps<T> {
  columns: Column<T>[];
  rows: T[] | undefined;
  loading: boolean;
  /** Where a row leads (its first cell should hold a <Link> there for keyboard users). */
  rowHref?: (row: T) => string;
  onRowClick?: (row: T) => void;
  empty: ComponentChildren;
  caption: string;
  skeletonRows?: number;
}

export function DataTable<T extends { _id?: string }>({
  columns,
  rows,
  loading,
  rowHref,
  onRowClick,
  empty,
  caption,
  skeletonRows = 6,
}: TableProps<T>) {
  if (!loading && rows && rows.length === 0) return <>{empty}</>;
  const open = (row: T, event: MouseEvent) => {
    if ((event.target as HTMLElement).closest('a, button, input, select, label')) return;
    if (rowHref) navigate(rowHref(row));
    else onRowClick?.(row);
  };
  return (
    <div class="table-wrap">
      <table class="data" aria-busy={loading ? 'true' : undefined}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" class={c.class}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {!rows && loading
            ? placeholders(skeletonRows).map((i) => (
                <tr key={i}>
                  {columns.map((c, j) => (
                    <td key={c.label} class={c.class}>
                      <span
                        class="skeleton"
                        style={{ width: `${j === 0 ? 60 + ((i * 13) % 30) : 40 + ((i * 7 + j * 11) % 40)}%` }}
                      />
                    </td>
                  ))}
                </tr>
              ))
            : rows!.map((row, i) => (
                <tr
                  key={row._id ?? i}
                  class={rowHref || onRowClick ? 'clickable' : undefined}
                  onClick={(e) => open(row, e)}
                >
                  {columns.map((c) => (
                    <td key={c.label} class={c.class}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pager({
  page,
  pages,
  total,
  limit,
  onPage,
  onLimit,
}: {
  page: number;
  pages: number;
  total: number;
  limit: number;
  onPage: (page: number) => void;
  onLimit?: (limit: number) => void;
}) {
  if (total === 0) return null;
  const first = (page - 1) * limit + 1;
  const last = Math.min(total, page * limit);
  return (
    <nav class="pager" aria-label="Pages">
      <div class="info" aria-live="polite">
        {first}–{last} of {total.toLocaleString()}
      </div>
      {onLimit && (
        <label class="row small muted">
          Rows
          <select value={String(limit)} onChange={(e) => onLimit(Number(e.currentTarget.value))}>
            {[10, 20, 50, 100].map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" class="btn small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span class="small muted">
        Page {page} of {Math.max(pages, 1)}
      </span>
      <button type="button" class="btn small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

/** A list page's body: a bar while it reloads, the error with a retry, the table, and the pager bound to the URL. */
export function PagedTable<T extends { _id?: string }>({
  state,
  list,
  ...table
}: { state: Async<Page<T>>; list: ListState } & Omit<TableProps<T>, 'rows' | 'loading'>) {
  return (
    <>
      <BusyBar busy={state.loading && Boolean(state.data)} />
      {state.error && !state.data ? (
        <LoadError error={state.error} retry={state.reload} />
      ) : (
        <DataTable {...table} rows={state.data?.data} loading={state.loading} />
      )}
      {state.data && (
        <Pager
          {...state.data.pagination}
          page={list.page}
          limit={list.limit}
          onPage={(page) => list.set({ page })}
          onLimit={(limit) => list.set({ limit })}
        />
      )}
    </>
  );
}
