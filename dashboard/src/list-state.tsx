// A list page's state in the URL (search, filters, page, rows), and the search box that writes it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useDebounced } from './hooks';
import { setQuery, useLocation } from './router';
import { Icon } from './ui/icons';

export interface ListState {
  page: number;
  limit: number;
  search: string;
  get: (key: string) => string;
  /** Changes filters; any change but the page itself starts again at page 1. The same function on every render. */
  set: (patch: Record<string, string | number | undefined>) => void;
}

const setList: ListState['set'] = (patch) => setQuery('page' in patch ? patch : { ...patch, page: undefined });

export function useListState(defaultLimit = 20): ListState {
  const { query } = useLocation();
  return {
    page: Math.max(1, Number(query.get('page')) || 1),
    limit: Number(query.get('limit')) || defaultLimit,
    search: query.get('search') ?? '',
    get: (key) => query.get(key) ?? '',
    set: setList,
  };
}

export function SearchBox({ list, label }: { list: ListState; label: string }) {
  const [text, setText] = useState(list.search);
  const debounced = useDebounced(text, 300);
  // Typing settles into the URL, and a new search in the URL (back, a link) into the box. Each effect runs on a
  // change from its own side only and reads the other side as it was rendered: reacting to both would undo a back
  // navigation with the text still being debounced, or undo typing with the URL not yet re-rendered.
  const rendered = useRef({ search: list.search, debounced });
  rendered.current = { search: list.search, debounced };
  const { set } = list;
  useEffect(() => {
    if (debounced !== rendered.current.search) set({ search: debounced });
  }, [debounced, set]);
  useEffect(() => {
    if (list.search !== rendered.current.debounced) setText(list.search);
  }, [list.search]);
  return (
    <search class="search">
      <Icon name="search" />
      <input
        type="search"
        aria-label={label}
        placeholder={label}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
    </search>
  );
}

/** Filter chips, one pressed at a time; "All" clears the filter. */
export function FilterChips({
  label,
  value,
  options,
  onChange,
  counts,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  counts?: Record<string, number>;
}) {
  const names = (o: string) => (o === '' ? 'All' : o.charAt(0).toUpperCase() + o.slice(1).replace(/_/g, ' '));
  return (
    <fieldset class="chips" aria-label={label}>
      {['', ...options].map((o) => (
        <button
          key={o}
          type="button"
          class="chip"
          aria-pressed={value === o ? 'true' : 'false'}
          onClick={() => onChange(o)}
        >
          {names(o)}
          {counts && o !== '' && counts[o] !== undefined && <span class="count">{counts[o]}</span>}
        </button>
      ))}
    </fieldset>
  );
}
