import type { FormEvent } from 'react';
import { api } from '../api';
import { ErrorStatus, FieldError } from '../components/Status';
import { useForm } from '../components/use-form';
import { href, navigate } from '../route';
import { useAppDispatch } from '../store';
import { useLoginMutation, useRegisterMutation } from './auth.api';
import { registration, type RegistrationFields } from './registration';

const EMPTY: RegistrationFields = { name: '', email: '', password: '', repeated: '' };

/** Registers a shopper account, then logs straight in with it. */
export function RegisterForm() {
  const dispatch = useAppDispatch();
  const [register, registering] = useRegisterMutation();
  const [login, loggingIn] = useLoginMutation();
  const { fields, input, describedBy, errorOf, check, formRef } = useForm<RegistrationFields>(EMPTY);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = check(registration(fields));
    if (!checked) return;
    try {
      await register(checked.registration).unwrap();
      await login({ email: checked.registration.email, password: checked.registration.password }).unwrap();
      dispatch(api.util.resetApiState());
      navigate(href.catalog());
    } catch {
      // Shown from the mutations' `error` below.
    }
  }

  const busy = registering.isLoading || loggingIn.isLoading;
  return (
    <section className="panel narrow">
      <h1>Create an account</h1>
      <form ref={formRef} noValidate onSubmit={(event) => void submit(event)}>
        <label>
          Name
          <input data-testid="register-name" autoComplete="name" {...input('name')} {...describedBy('name')} />
          <FieldError {...errorOf('name')} />
        </label>
        <label>
          Email
          <input data-testid="register-email" type="email" autoComplete="email" {...input('email')} {...describedBy('email')} />
          <FieldError {...errorOf('email')} />
        </label>
        <label>
          Password (at least 12 characters)
          <input data-testid="register-password" type="password" autoComplete="new-password" {...input('password')} {...describedBy('password')} />
          <FieldError {...errorOf('password')} />
        </label>
        <label>
          Password again
          <input data-testid="register-repeated" type="password" autoComplete="new-password" {...input('repeated')} {...describedBy('repeated')} />
          <FieldError {...errorOf('repeated')} />
        </label>
        <button data-testid="register-submit" type="submit" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <ErrorStatus error={registering.error ?? loggingIn.error} />
      <p className="hint">
        Already registered? <a href={href.login()}>Log in</a>
      </p>
    </section>
  );
}
