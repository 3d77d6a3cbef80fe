import type { AuditEvent } from '@shop/client';
import { NumberColumn } from '../components/NumberColumn';
import { TableScroll } from '../components/TableScroll';
import { Time } from '../components/Time';
import { actorOf } from './EventsTable';

/**
 * An order's events one by one, in stream order: what happened, when, at which version and global position, and who
 * did it. Each row can show the order as it stood right after that event (the API replays the stream up to it).
 */
export function OrderTimeline({ events, shownVersion, onShowState }: { events: readonly AuditEvent[]; shownVersion: number | undefined; onShowState: (version: number) => void }) {
  return (
    <TableScroll label="Timeline">
      <table className="table timeline" data-testid="order-timeline">
        <thead>
          <tr>
            <NumberColumn>Version</NumberColumn>
            <th scope="col">Event</th>
            <th scope="col">Recorded</th>
            <NumberColumn>Position</NumberColumn>
            <th scope="col">Actor</th>
            <th scope="col">
              <span className="visually-hidden">State</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.eventId} data-testid="timeline-event" data-version={event.streamVersion} aria-current={event.streamVersion === shownVersion ? 'step' : undefined}>
              <td className="num">{event.streamVersion}</td>
              <td>{event.type}</td>
              <td>
                <Time at={event.recordedAt} />
              </td>
              <td className="num mono">{event.globalPosition}</td>
              <td className="mono">{actorOf(event.metadata)}</td>
              <td>
                <button type="button" className="link" onClick={() => onShowState(event.streamVersion)} data-testid={`state-at-${event.streamVersion}`}>
                  State after v{event.streamVersion}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
