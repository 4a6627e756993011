// Sign-in: email and password; a wrong pair, too many attempts or a network failure is said plainly above the form.
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import type { Session } from '../types';
import { Alert, TextField } from '../ui/Field';
import { Icon } from '../ui/icons';

export function SignIn({ onSignedIn, expired }: { onSignedIn: (session: Session) => void; expired?: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; detail?: string }>();
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setErrors({});
    try {
      onSignedIn(await api.post<Session>('/session', { email, password }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setErrors(error.errors);
      setProblem(error.status === 400 ? undefined : { title: error.error, detail: error.detail });
      if (error.status === 401) setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="signin">
      <div class="card signin-card">
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
          <div class="brand-name">mteja</div>
        </div>
        <h1>Sign in</h1>
        <p class="muted">to your business's CRM dashboard</p>
        <form noValidate onSubmit={submit}>
          {expired && !problem && (
            <Alert tone="info">Your session has ended. Sign in again to carry on where you were.</Alert>
          )}
          {problem && (
            <Alert>
              <strong>{problem.title}.</strong> {problem.detail}
            </Alert>
          )}
          <TextField
            label="Email"
            type="email"
            autocomplete="username"
            value={email}
            onValue={setEmail}
            error={errors.email}
            required
            autoFocus
          />
          <div class="field">
            <label for="password" class="required">
              Password
            </label>
            <div class="password-wrap">
              <input
                id="password"
                type={show ? 'text' : 'password'}
                autocomplete="current-password"
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
                aria-invalid={errors.password ? 'true' : undefined}
                aria-describedby={errors.password ? 'password-error' : undefined}
              />
              <button
                type="button"
                class="icon-button"
                aria-label={show ? 'Hide password' : 'Show password'}
                aria-pressed={show ? 'true' : 'false'}
                onClick={() => setShow(!show)}
              >
                <Icon name={show ? 'eyeOff' : 'eye'} />
              </button>
            </div>
            {errors.password && (
              <div class="error" id="password-error">
                <Icon name="alert" size={14} />
                <span>{errors.password}</span>
              </div>
            )}
          </div>
          <button type="submit" class="btn primary" disabled={busy}>
            {busy && <span class="spinner" aria-hidden="true" />}
            Sign in
          </button>
          <p class="small muted">
            No account? Your administrator adds staff with <code>mteja users create</code>.
          </p>
        </form>
      </div>
    </main>
  );
}
