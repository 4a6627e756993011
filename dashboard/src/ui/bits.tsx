// Small pieces every page uses: status badges, empty states, page headers, loading and error blocks.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { words } from '../format';
import { hasNavigated, Link } from '../router';
import { Icon, type IconName } from './icons';

const TONES: Record<string, string> = {
  // leads
  new: 'blue',
  contacted: 'violet',
  qualified: 'amber',
  converted: 'green',
  lost: 'red',
  // quotes
  draft: 'plain',
  sent: 'blue',
  accepted: 'green',
  rejected: 'red',
  expired: 'amber',
  invoiced: 'teal',
  // contracts
  signed: 'violet',
  active: 'green',
  terminated: 'red',
  // bookings
  scheduled: 'blue',
  completed: 'green',
  cancelled: 'plain',
  'no-show': 'red',
  // appointment types
  inactive: 'amber',
  archived: 'plain',
};

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge ${TONES[status] ?? ''}`}>{words(status)}</span>;
}

export function Empty({
  icon,
  title,
  children,
  action,
}: {
  icon: IconName;
  title: string;
  children?: ComponentChildren;
  action?: ComponentChildren;
}) {
  return (
    <div class="empty">
      <div class="empty-icon">
        <Icon name={icon} size={22} />
      </div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

/** The page's title, focused after navigation so that keyboard and screen-reader users start at the top of the new page. */
export function PageHeader({
  title,
  subtitle,
  actions,
  crumbs,
}: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
  crumbs?: { to: string; label: string };
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // After a move inside the app, start keyboard and screen-reader users at the new page's title.
    if (hasNavigated() && (document.activeElement === document.body || document.activeElement?.closest('.nav')))
      ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div class="page-head">
      <div class="titles">
        {crumbs && (
          <div class="crumbs">
            <Link to={crumbs.to}>{crumbs.label}</Link>
            <Icon name="right" size={12} />
          </div>
        )}
        <h1 tabIndex={-1} ref={ref}>
          {title}
        </h1>
        {subtitle && <div class="subtitle">{subtitle}</div>}
      </div>
      {actions && <div class="actions">{actions}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading-block" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function LoadError({ error, retry }: { error: Error; retry: () => void }) {
  return (
    <div class="empty" role="alert">
      <div class="empty-icon">
        <Icon name="alert" size={22} />
      </div>
      <h3>This could not be loaded</h3>
      <p>{error.message}</p>
      <button type="button" class="btn" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

/** Keys for `count` loading placeholders: they are all alike and never reorder, so each one's ordinal is its key. */
export const placeholders = (count: number): number[] => Array.from({ length: count }, (_, n) => n);

/** A thin moving bar while a list reloads behind its current rows. */
export const BusyBar = ({ busy }: { busy: boolean }) => <div class="busy-bar" hidden={!busy} aria-hidden="true" />;
