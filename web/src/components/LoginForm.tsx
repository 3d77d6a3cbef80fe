import { useState, type FormEvent } from 'react';
import { useLoginMutation } from '../api';
import { errorMessage } from '../problem';
import { navigate } from '../route';
import { useAppSelector } from '../store';
import { Status } from './Status';

export function LoginForm() {
  const auth = useAppSelector((state) => state.session.auth);
  const [login, { isLoading, error }] = useLoginMutation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await login({ email: email.trim(), password }).unwrap();
      navigate('/');
    } catch {
      // Shown from the mutation's `error` below.
    }
  }

  const message = errorMessage(error);
  return (
    <section className="panel narrow">
      <h1>Log in</h1>
      {auth && <p className="hint">You are signed in as {auth.role}. Logging in again replaces that session.</p>}
      <form onSubmit={(event) => void submit(event)}>
        <label>
          Email
          <input
            data-testid="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
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
      <Status message={message ? { kind: 'error', text: message } : null} />
    </section>
  );
}
