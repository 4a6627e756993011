// Picks a customer by typing part of a name, email or phone: the ARIA combobox pattern over the customer list's search.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
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
  const [options, setOptions] = useState<Customer[]>([]);
  const [loading, setLoading] = useState(false);
  const term = useDebounced(text, 200);
  const input = useRef<HTMLInputElement>(null);

  // The box shows the chosen customer's name (or nothing once the choice is cleared).
  const chosen = value?.name ?? '';
  useEffect(() => setText(chosen), [chosen]);

  // While the box still shows the chosen customer, the list offers every customer rather than those matching it.
  const search = term === value?.name ? '' : term;
  useEffect(() => {
    if (!open) return;
    let current = true;
    setLoading(true);
    api
      .list<Customer>('customer', { search, limit: 8, active: true })
      .then((page) => {
        if (!current) return;
        setOptions(page.data);
        setActive(0);
      })
      .catch(() => current && setOptions([]))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [search, open]);

  const choose = (customer: Customer) => {
    onChange({ _id: customer._id, name: customer.name, email: customer.email, currency: customer.currency });
    setText(customer.name);
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((i) => Math.min(i + 1, options.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter' && open && options[active]) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
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
            setOpen(true);
            if (value && e.currentTarget.value !== value.name) onChange(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
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
            {loading && options.length === 0 && <div class="combo-note">Searching…</div>}
            {!loading && options.length === 0 && <div class="combo-note">No customer matches “{text}”</div>}
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
