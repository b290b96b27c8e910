import { useState } from 'preact/hooks';
import { api, type Account } from '../api';
import { Button, Field, FormError, useFormErrors } from '../ui';

const MIN_PASSWORD = 12;

export function AuthPage({ mode, onLoggedIn }: { mode: 'login' | 'signup'; onLoggedIn: (a: Account) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const f = useFormErrors(['email', 'password']);
  const signup = mode === 'signup';

  async function submit(e: Event) {
    e.preventDefault();
    f.clear();
    const errs: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) errs.email = 'Enter a valid email address.';
    if (signup && password.length < MIN_PASSWORD) errs.password = `Use at least ${MIN_PASSWORD} characters.`;
    if (!signup && !password) errs.password = 'Enter your password.';
    if (Object.keys(errs).length) {
      f.set(errs);
      return;
    }
    setBusy(true);
    try {
      if (signup) await api.signup(email.trim(), password);
      await api.login(email.trim(), password);
      onLoggedIn(await api.me());
    } catch (err) {
      f.fromError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="auth">
      <div class="auth__card">
        <div class="auth__brand">
          <img src="/favicon.svg" alt="" width="40" height="40" />
          <span>Gatehouse</span>
        </div>
        <h1>{signup ? 'Create your account' : 'Log in'}</h1>
        <p class="muted">
          {signup
            ? 'Protect your APIs with OAuth 2.0 client credentials in a few minutes.'
            : 'Machine-to-machine API security, self-hosted.'}
        </p>
        <form noValidate onSubmit={submit} class="stack" aria-label={signup ? 'Sign up' : 'Log in'}>
          <Field label="Email" name="email" error={f.errors.email}>
            {(a) => (
              <input
                {...a}
                type="email"
                autoComplete="email"
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
                required
              />
            )}
          </Field>
          <Field
            label="Password"
            name="password"
            error={f.errors.password}
            hint={signup ? `At least ${MIN_PASSWORD} characters.` : undefined}
          >
            {(a) => (
              <input
                {...a}
                type="password"
                autoComplete={signup ? 'new-password' : 'current-password'}
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
                required
              />
            )}
          </Field>
          <FormError message={f.formError} />
          <Button type="submit" variant="primary" busy={busy} class="btn--block">
            {signup ? 'Create account' : 'Log in'}
          </Button>
        </form>
        <p class="auth__switch">
          {signup ? (
            <>
              Already have an account? <a href="#/login">Log in</a>
            </>
          ) : (
            <>
              New to Gatehouse? <a href="#/signup">Create an account</a>
            </>
          )}
        </p>
      </div>
    </main>
  );
}
