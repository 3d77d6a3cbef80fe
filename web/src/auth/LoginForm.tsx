import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorStatus } from '../components/Status';
import { href, navigate } from '../route';
import { useAppDispatch, useAppSelector } from '../store';
import { useLoginMutation } from './auth.api';

/** Where to go after logging in: back where the user came from (`#/login?next=/cart`), else the catalog. */
export function LoginForm({ next }: { next: string | null }) {
  const auth = useAppSelector((state) => state.session.auth);
  const dispatch = useAppDispatch();
  const [login, { isLoading, error }] = useLoginMutation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await login({ email: email.trim(), password }).unwrap();
      // Reads cached under another login (or none) must not be shown to this one.
      dispatch(api.util.resetApiState());
      navigate(next ?? href.catalog());
    } catch {
      // Shown from the mutation's `error` below.
    }
  }

  return (
    <section className="panel narrow">
      <h1>Log in</h1>
      {auth && <p className="hint">You are signed in as {auth.role}. Logging in again replaces that session.</p>}
      <form onSubmit={(event) => void submit(event)}>
        <label>
          Email
          <input data-testid="login-email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <button data-testid="login-submit" type="submit" disabled={isLoading}>
          {isLoading ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <ErrorStatus error={error} />
      <p className="hint">
        New here? <a href={href.register()}>Create an account</a>
      </p>
    </section>
  );
}
