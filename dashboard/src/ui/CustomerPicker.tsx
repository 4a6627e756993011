// Picks a customer by typing part of a name, email or phone: the ARIA combobox pattern over the customer list's search.
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { useDebounced } from '../hooks';
import type { Customer } from '../types';
import { Icon } from './icons';

export type CustomerRef = Pick<Customer, '_id' | 'name' | 'email'> & Partial<Pick<Customer, 'currency'>>;

interface Props {
  label: string;
  value: CustomerRef | null;
  onChange: (customer: CustomerRef | null) => void;
  error?: string;
  help?: string;
}

export function CustomerPicker({ label, value, onChange, error, help }: Props) {
  const id = useId();
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // The answer to one search, kept with the words it answers: options are shown (and chosen) only while those are
  // the words in the box, never the previous search's while the current one is still on its way.
  const [found, setFound] = useState<{ search: string; customers: Customer[] } | null>(null);
  // Enter pressed before the current words were answered: the first match is chosen when they are.
  const [enterFor, setEnterFor] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // The box shows the chosen customer's name (or nothing once the choice is cleared).
  const chosen = value?.name ?? '';
  useEffect(() => setText(chosen), [chosen]);

  // While the box still shows the chosen customer, the list offers every customer rather than those matching it.
  const search = text === value?.name ? '' : text;
  const debounced = useDebounced(search, 200);
  // Typing waits for a pause before it searches; Enter does not.
  const wanted = enterFor === search ? search : debounced;
  useEffect(() => {
    if (!open) return;
    // Only the newest request may answer: one for older words that arrives late is dropped here.
    let current = true;
    api
      .list<Customer>('customer', { search: wanted, limit: 8, active: true })
      .then(
        (page) => page.data,
        () => [],
      )
      .then((customers) => {
        if (!current) return;
        setFound({ search: wanted, customers });
        setActive(0);
      });
    return () => {
      current = false;
    };
  }, [wanted, open]);

  const answered = found?.search === search;
  const options = answered ? found.customers : [];

  const choose = useCallback(
    (customer: Customer) => {
      onChange({ _id: customer._id, name: customer.name, email: customer.email, currency: customer.currency });
      setText(customer.name);
      setOpen(false);
    },
    [onChange],
  );

  useEffect(() => {
    if (enterFor === null || found?.search !== enterFor) return;
    setEnterFor(null);
    if (enterFor === search && found.customers[0]) choose(found.customers[0]);
  }, [enterFor, found, search, choose]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((i) => Math.min(i + 1, options.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter' && open) {
      // Enter never submits the form around the picker while its list is open.
      event.preventDefault();
      if (answered) {
        if (options[active]) choose(options[active]);
      } else setEnterFor(search);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      setEnterFor(null);
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="combo">
        <input
          ref={input}
          id={id}
          role="combobox"
          autocomplete="off"
          aria-expanded={open ? 'true' : 'false'}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && options[active] ? `${id}-${options[active]._id}` : undefined}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : help ? `${id}-help` : undefined}
          placeholder="Search customers by name, email or phone"
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setEnterFor(null);
            setOpen(true);
            if (value && e.currentTarget.value !== value.name) onChange(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() =>
            setTimeout(() => {
              setOpen(false);
              setEnterFor(null);
            }, 150)
          }
          onKeyDown={onKeyDown}
        />
        {value && (
          <button
            type="button"
            class="icon-button small combo-clear"
            aria-label="Clear customer"
            onClick={() => {
              onChange(null);
              setText('');
              input.current?.focus();
            }}
          >
            <Icon name="close" size={14} />
          </button>
        )}
        {open && (
          <div class="combo-list" id={listId} role="listbox" aria-label={label}>
            {!answered && <div class="combo-note">Searching…</div>}
            {answered && options.length === 0 && <div class="combo-note">No customer matches “{text}”</div>}
            {options.map((c, i) => (
              // Focus stays in the input (aria-activedescendant names the active option); tabIndex -1 only makes the
              // option focusable by script, as its role requires, and keeps it out of the Tab order.
              <div
                key={c._id}
                id={`${id}-${c._id}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === active ? 'true' : 'false'}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(c);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <div>{c.name}</div>
                <div class="secondary-text">
                  {c.email}
                  {c.company ? ` · ${c.company}` : ''}
                </div>
              </div>
            ))}
          </div>
        )}
      </div>
      {help && !error && (
        <div class="help" id={`${id}-help`}>
          {help}
        </div>
      )}
      {error && (
        <div class="error" id={`${id}-error`}>
          <Icon name="alert" size={14} />
          <span>{error}</span>
        </div>
      )}
    </div>
  );
}
