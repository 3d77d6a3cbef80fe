import { useState, type FormEvent } from 'react';
import { FieldError, RequestState } from '../components/Status';
import { LoadMore, pagedList } from '../components/LoadMore';
import { useAuditEventsInfiniteQuery } from './audit.api';
import { EventsTable } from './EventsTable';

const POSITION = /^\d{1,19}$/;

/** The whole log in global order, from the start or from any position, a page at a time (`after`). */
export function AuditLogPage() {
  const [after, setAfter] = useState('0');
  const [typed, setTyped] = useState('0');
  const [invalid, setInvalid] = useState(false);
  const query = useAuditEventsInfiniteQuery(after, { refetchOnMountOrArgChange: true });
  const { items: events, empty, more } = pagedList(query);

  function jump(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const position = typed.trim();
    setInvalid(!POSITION.test(position));
    if (POSITION.test(position)) setAfter(position);
  }

  return (
    <section className="panel wide-panel">
      <h1>Audit log</h1>
      <form className="row" onSubmit={jump} aria-label="Start position">
        <label className="inline">
          Events after position
          <input data-testid="audit-after" inputMode="numeric" value={typed} aria-invalid={invalid ? true : undefined} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit">Show</button>
        <FieldError text={invalid ? 'A global position: digits only.' : undefined} />
      </form>
      <RequestState loading={query.isLoading} error={query.error} what="the log" />
      {empty && <p className="empty">No events after position {after}.</p>}
      {events.length > 0 && <EventsTable events={events} />}
      <LoadMore {...more} />
    </section>
  );
}
