// Form fields: a label, the control, help text, and the server's message for the field right under it.
import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';
import { Icon } from './icons';

interface FieldFrame {
  label: string;
  error?: string;
  help?: ComponentChildren;
  required?: boolean;
  class?: string;
}

function Frame({
  id,
  label,
  error,
  help,
  required,
  class: extra,
  children,
}: FieldFrame & { id: string; children: ComponentChildren }) {
  return (
    <div class={`field${extra ? ` ${extra}` : ''}`}>
      <label for={id} class={required ? 'required' : undefined}>
        {label}
      </label>
      {children}
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

/** aria-invalid and aria-describedby for a control, so a screen reader reads the message with the field. */
const described = (id: string, error?: string, help?: unknown) => ({
  'aria-invalid': error ? ('true' as const) : undefined,
  'aria-describedby': error ? `${id}-error` : help ? `${id}-help` : undefined,
});

type InputProps = FieldFrame &
  Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'label'> & {
    value: string | number | null | undefined;
    onValue: (value: string) => void;
    type?: string;
  };

export function TextField({ label, error, help, required, class: extra, value, onValue, ...props }: InputProps) {
  const id = useId();
  return (
    <Frame id={id} label={label} error={error} help={help} required={required} class={extra}>
      <input
        {...props}
        id={id}
        required={required}
        value={value ?? ''}
        onInput={(e) => onValue(e.currentTarget.value)}
        {...described(id, error, help)}
      />
    </Frame>
  );
}

type SelectProps = FieldFrame &
  Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'label'> & {
    value: string | null | undefined;
    onValue: (value: string) => void;
    options: ReadonlyArray<{ value: string; label: string } | string>;
    /** A first, empty choice, e.g. "No customer". */
    placeholder?: string;
  };

export function SelectField({
  label,
  error,
  help,
  required,
  class: extra,
  value,
  onValue,
  options,
  placeholder,
  ...props
}: SelectProps) {
  const id = useId();
  return (
    <Frame id={id} label={label} error={error} help={help} required={required} class={extra}>
      <select
        {...props}
        id={id}
        required={required}
        value={value ?? ''}
        onChange={(e) => onValue(e.currentTarget.value)}
        {...described(id, error, help)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) =>
          typeof o === 'string' ? (
            <option key={o} value={o}>
              {o}
            </option>
          ) : (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ),
        )}
      </select>
    </Frame>
  );
}

type AreaProps = FieldFrame &
  Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onInput' | 'label'> & {
    value: string | null | undefined;
    onValue: (value: string) => void;
  };

export function TextArea({ label, error, help, required, class: extra, value, onValue, ...props }: AreaProps) {
  const id = useId();
  return (
    <Frame id={id} label={label} error={error} help={help} required={required} class={extra}>
      <textarea
        {...props}
        id={id}
        value={value ?? ''}
        onInput={(e) => onValue(e.currentTarget.value)}
        {...described(id, error, help)}
      />
    </Frame>
  );
}

export function Checkbox({
  label,
  checked,
  onValue,
  help,
}: {
  label: string;
  checked: boolean;
  onValue: (checked: boolean) => void;
  help?: string;
}) {
  const id = useId();
  return (
    <div class="field">
      <label class="check" for={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onValue(e.currentTarget.checked)} />
        {label}
      </label>
      {help && <div class="help">{help}</div>}
    </div>
  );
}

export function Alert({
  tone = 'error',
  children,
}: {
  tone?: 'error' | 'info' | 'warning' | 'success';
  children: ComponentChildren;
}) {
  return (
    <div class={`alert ${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <Icon name={tone === 'error' || tone === 'warning' ? 'alert' : 'info'} />
      <div>{children}</div>
    </div>
  );
}
