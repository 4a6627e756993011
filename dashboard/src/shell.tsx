// The frame around every page: the navigation (a drawer on phones), the business, the user and sign-out.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApp } from './app-context';
import { initials } from './format';
import { Link, useLocation } from './router';
import { IconButton } from './ui/Button';
import { Icon, type IconName } from './ui/icons';

const NAV: { section?: string; items: { to: string; label: string; icon: IconName }[] }[] = [
  { items: [{ to: '/', label: 'Overview', icon: 'overview' }] },
  {
    section: 'Sales',
    items: [
      { to: '/customers', label: 'Customers', icon: 'customers' },
      { to: '/leads', label: 'Leads', icon: 'leads' },
      { to: '/contacts', label: 'Contacts', icon: 'contacts' },
      { to: '/quotes', label: 'Quotes', icon: 'quotes' },
      { to: '/contracts', label: 'Contracts', icon: 'contracts' },
    ],
  },
  {
    section: 'Scheduling',
    items: [
      { to: '/bookings', label: 'Bookings', icon: 'bookings' },
      { to: '/appointment-types', label: 'Appointment types', icon: 'types' },
    ],
  },
  {
    section: 'Developers',
    items: [
      { to: '/credentials', label: 'API credentials', icon: 'key' },
      { to: '/webhooks', label: 'Webhooks', icon: 'link' },
    ],
  },
];

const isCurrent = (to: string, path: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));

export function Shell({ children }: { children: ComponentChildren }) {
  const { session, signOut } = useApp();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `path` is the trigger, not an input: moving to another page closes the drawer.
  useEffect(() => setOpen(false), [path]);
  const current = NAV.flatMap((g) => g.items).find((i) => isCurrent(i.to, path));
  const who = session.user.name || session.user.email;

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      {/* A click beside the open drawer closes it: a pointer convenience, out of the Tab order and hidden from assistive
          technology as before, but a button, since it acts on a click. */}
      <button
        type="button"
        class={`scrim${open ? ' open' : ''}`}
        tabIndex={-1}
        aria-hidden="true"
        onClick={() => setOpen(false)}
      />
      <aside class={`sidebar${open ? ' open' : ''}`} aria-label="Main navigation">
        <div class="brand">
          <div class="brand-mark">
            <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden="true">
              <path
                d="M6 24V10l10 8 10-8v14"
                fill="none"
                stroke="#fff"
                stroke-width="3.2"
                stroke-linecap="round"
                stroke-linejoin="round"
              />
            </svg>
          </div>
          <div>
            <div class="brand-name">mteja</div>
            <div class="brand-business" title={session.business.name}>
              {session.business.name}
            </div>
          </div>
        </div>
        <nav class="nav">
          {NAV.map((group) => (
            <div key={group.section ?? 'top'} class="nav">
              {group.section && <div class="nav-section">{group.section}</div>}
              {group.items.map((item) => (
                <Link key={item.to} to={item.to} aria-current={isCurrent(item.to, path) ? 'page' : undefined}>
                  <Icon name={item.icon} size={18} />
                  {item.label}
                </Link>
              ))}
            </div>
          ))}
        </nav>
        <div class="sidebar-foot">
          <div class="avatar" aria-hidden="true">
            {initials(who)}
          </div>
          <div class="sidebar-user">
            <div>{session.user.name ?? 'Signed in'}</div>
            <div class="email">{session.user.email}</div>
          </div>
          <IconButton icon="logout" label="Sign out" onClick={() => void signOut()} />
        </div>
      </aside>
      <div>
        <header class="topbar">
          <IconButton
            icon="menu"
            label="Open navigation"
            aria-expanded={open ? 'true' : 'false'}
            onClick={() => setOpen(true)}
          />
          <div class="title">{current?.label ?? 'mteja'}</div>
          <div class="avatar" aria-hidden="true" title={who}>
            {initials(who)}
          </div>
        </header>
        <main class="main" id="main">
          <div class="main-inner">{children}</div>
        </main>
      </div>
    </div>
  );
}
