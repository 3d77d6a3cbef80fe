import type { ReactNode } from 'react';
import { errorMessage, type ApiError } from '../problem';

export interface StatusMessage {
  kind: 'ok' | 'error' | 'info';
  text: string;
}

/** A status line; errors are announced assertively, everything else politely. */
export function Status({ message, testId = 'status' }: { message: StatusMessage | null; testId?: string }) {
  if (!message) return null;
  return (
    <p data-testid={testId} role={message.kind === 'error' ? 'alert' : 'status'} className={`status status-${message.kind}`}>
      {message.text}
    </p>
  );
}

/** The readable message of a failed request (problem+json detail, network trouble…), or nothing. */
export function ErrorStatus({ error }: { error: ApiError | undefined }) {
  const text = errorMessage(error);
  return <Status message={text ? { kind: 'error', text } : null} />;
}

/** The problem with one field, beside it; `id` lets the field point at it (`aria-describedby`). */
export function FieldError({ text, id }: { text: string | undefined; id?: string }) {
  return text ? (
    <small className="field-error" id={id}>
      {text}
    </small>
  ) : null;
}

export function Loading({ what = '' }: { what?: string }) {
  return <p className="empty">Loading{what ? ` ${what}` : ''}…</p>;
}

/** Where a page's data stands: the error of its request, or that it is still on its way. */
export function RequestState({ loading, error, what }: { loading: boolean; error: ApiError | undefined; what?: string }) {
  return (
    <>
      <ErrorStatus error={error} />
      {loading && <Loading what={what} />}
    </>
  );
}

/** The way back to the list a page was opened from. */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p>
      <a href={to}>← {children}</a>
    </p>
  );
}
