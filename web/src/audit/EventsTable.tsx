import type { AuditEvent } from '@shop/client';
import { Time } from '../components/Time';
import { href } from '../route';
import { orderIdOfStream, shortStream } from './as-of';
import { NumberColumn } from '../components/NumberColumn';

/** Who caused an event: a user's role and the start of their id, or the system part that did it. */
export const actorOf = ({ actor }: AuditEvent['metadata']): string => ('system' in actor ? `system: ${actor.system}` : `${actor.role} ${actor.userId.slice(0, 8)}`);

/** Raw events with their envelopes: the position, the stream and version, who did it, and the hash chaining it. */
export function EventsTable({ events, showStream = true }: { events: readonly AuditEvent[]; showStream?: boolean }) {
  return (
    <table className="table events">
      <thead>
        <tr>
          <NumberColumn>Position</NumberColumn>
          {showStream && <th scope="col">Stream</th>}
          <NumberColumn>Version</NumberColumn>
          <th scope="col">Event</th>
          <th scope="col">Recorded</th>
          <th scope="col">Actor</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <EventRow key={event.eventId} event={event} showStream={showStream} />
        ))}
      </tbody>
    </table>
  );
}

function EventRow({ event, showStream }: { event: AuditEvent; showStream: boolean }) {
  const orderId = orderIdOfStream(event.streamId);
  return (
    <tr data-testid="audit-event" data-event-type={event.type}>
      <td className="num mono">{event.globalPosition}</td>
      {showStream && (
        <td className="nowrap">
          <a className="mono" href={href.auditStream(event.streamId)} title={event.streamId}>
            {shortStream(event.streamId)}
          </a>
          {orderId && (
            <>
              {' '}
              <a className="hint" href={href.auditOrder(orderId)}>
                (as of…)
              </a>
            </>
          )}
        </td>
      )}
      <td className="num">{event.streamVersion}</td>
      <td>
        <details>
          <summary>
            {event.type} <span className="hint">v{event.schemaVersion}</span>
          </summary>
          <pre className="json">{JSON.stringify({ data: event.data, metadata: event.metadata, eventId: event.eventId, hash: event.hash }, null, 2)}</pre>
        </details>
      </td>
      <td>
        <Time at={event.recordedAt} />
      </td>
      <td className="mono">{actorOf(event.metadata)}</td>
    </tr>
  );
}
