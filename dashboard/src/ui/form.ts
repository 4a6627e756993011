// Form state: values, the server's field messages shown in place, a form-level message, and a busy flag.
import { useCallback, useState } from 'preact/hooks';
import { ApiError } from '../api';

export interface Form<T> {
  values: T;
  /** Sets one field and clears the server's message for it. The same function on every render. */
  set: <K extends keyof T>(key: K, value: T[K]) => void;
  /** Replaces the values, or derives them from the current ones. The same function on every render. */
  setValues: (values: T | ((current: T) => T)) => void;
  /** The server's message for a field: `errors.email`, `errors['items.0.rate']`. */
  errors: Record<string, string>;
  /** A failure that belongs to no field (a conflict, a locked record, the network). */
  problem: string | undefined;
  busy: boolean;
  /** Runs `work`; an ApiError fills `errors` and `problem` and focuses the first field it names. */
  submit: (work: (values: T) => Promise<void>) => Promise<void>;
  clear: () => void;
}

/** `conflicts` names the field a 409 is about (a duplicate email belongs next to the email). */
export function useForm<T extends object>(initial: T, options: { conflicts?: string } = {}): Form<T> {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const set = useCallback(<K extends keyof T>(key: K, value: T[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((current) => {
      if (!current[key as string]) return current;
      const { [key as string]: _, ...rest } = current;
      return rest;
    });
  }, []);

  async function submit(work: (values: T) => Promise<void>) {
    setBusy(true);
    setErrors({});
    setProblem(undefined);
    try {
      await work(values);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = { ...error.errors };
      if (error.status === 409 && options.conflicts && Object.keys(fields).length === 0)
        fields[options.conflicts] = error.error;
      setErrors(fields);
      const named = Object.keys(fields).length > 0;
      setProblem(
        named
          ? error.status === 409
            ? undefined
            : error.error
          : error.detail && error.detail !== error.error
            ? `${error.error}. ${error.detail}`
            : error.error,
      );
      if (named)
        requestAnimationFrame(() => (document.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus());
    } finally {
      setBusy(false);
    }
  }

  return {
    values,
    set,
    setValues,
    errors,
    problem,
    busy,
    submit,
    clear: () => {
      setErrors({});
      setProblem(undefined);
    },
  };
}

/** A number typed into a text field: null when blank, NaN-safe (the server words any type error). */
export function toNumber(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  if (typeof text === 'number') return text;
  const trimmed = text.trim().replace(/,/g, '');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : (trimmed as unknown as number);
}

/** No constraint when `fields` names every key of T; otherwise a property whose name says which keys are missing. */
type Covers<T, F extends readonly (keyof T)[]> = [Exclude<keyof T, F[number]>] extends [never]
  ? unknown
  : { 'missing from the list': Exclude<keyof T, F[number]> };

/**
 * A form's fields, listed once against the server's body type T: `fieldsOf<CustomerCreate>()(['name', …])`. The
 * list must name every key of T (leave out what a form does not edit with Omit), so a field added on the server is a
 * type error here, naming it, until the form has it; a name the server does not know is one too.
 */
export function fieldsOf<T>() {
  return <const F extends readonly (keyof T)[]>(fields: F & Covers<T, F>): F => fields;
}

/** The listed fields of a record or of form values, in the list's order; whatever else it holds is left out. */
export function pick<T extends object, K extends keyof T>(from: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.filter((field) => field in from).map((field) => [field, from[field]])) as Pick<T, K>;
}

/** The listed fields as text for inputs: a record's value as a string, '' where it is not set (or there is none). */
export function texts<K extends string>(fields: readonly K[], from?: { [P in K]?: unknown }): Record<K, string> {
  const text = (value: unknown) => (value == null ? '' : String(value));
  return Object.fromEntries(fields.map((field) => [field, text(from?.[field])])) as Record<K, string>;
}
