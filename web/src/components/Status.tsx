export interface StatusMessage {
  kind: 'ok' | 'error' | 'info';
  text: string;
}

/** A status line; errors are announced assertively, everything else politely. */
export function Status({ message }: { message: StatusMessage | null }) {
  if (!message) return null;
  return (
    <p data-testid="status" role={message.kind === 'error' ? 'alert' : 'status'} className={`status status-${message.kind}`}>
      {message.text}
    </p>
  );
}
