// Buttons: primary, secondary (the default), ghost, danger; a busy state that keeps the label and says it is working.
import type { ComponentChildren, JSX } from 'preact';
import { Link } from '../router';
import { Icon, type IconName } from './icons';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'danger solid';

interface ButtonProps extends Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'icon' | 'loading'> {
  variant?: Variant;
  small?: boolean;
  icon?: IconName;
  busy?: boolean;
  type?: 'button' | 'submit';
  disabled?: boolean;
  children?: ComponentChildren;
}

const classes = (variant: Variant, small?: boolean) =>
  ['btn', variant === 'secondary' ? '' : variant, small ? 'small' : ''].filter(Boolean).join(' ');

export function Button({
  variant = 'secondary',
  small,
  icon,
  busy,
  type = 'button',
  disabled,
  children,
  ...props
}: ButtonProps) {
  return (
    <button
      {...props}
      type={type}
      class={classes(variant, small)}
      disabled={disabled || busy}
      aria-busy={busy ? 'true' : undefined}
    >
      {busy ? <span class="spinner" aria-hidden="true" /> : icon && <Icon name={icon} />}
      {children}
    </button>
  );
}

export function ButtonLink({
  to,
  variant = 'secondary',
  small,
  icon,
  children,
  ...props
}: { to: string; variant?: Variant; small?: boolean; icon?: IconName; children?: ComponentChildren } & Omit<
  JSX.AnchorHTMLAttributes<HTMLAnchorElement>,
  'icon'
>) {
  return (
    <Link {...props} to={to} class={classes(variant, small)}>
      {icon && <Icon name={icon} />}
      {children}
    </Link>
  );
}

export function IconButton({
  icon,
  label,
  small,
  ...props
}: { icon: IconName; label: string; small?: boolean } & Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'icon'>) {
  return (
    <button {...props} type="button" class={`icon-button${small ? ' small' : ''}`} aria-label={label} title={label}>
      <Icon name={icon} />
    </button>
  );
}
