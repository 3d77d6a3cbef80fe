import { BackLink, RequestState } from '../components/Status';
import { LoadMore, pagedList } from '../components/LoadMore';
import { href } from '../route';
import { orderIdOfStream } from './as-of';
import { useAuditStreamInfiniteQuery } from './audit.api';
import { EventsTable } from './EventsTable';

/** One stream's events in version order, with envelopes and hashes. */
export function StreamPage({ stream }: { stream: string }) {
  const query = useAuditStreamInfiniteQuery(stream, { refetchOnMountOrArgChange: true });
  const { items: events, more } = pagedList(query);
  const orderId = orderIdOfStream(stream);

  return (
    <section className="panel wide-panel">
      <BackLink to={href.auditLog()}>Audit log</BackLink>
      <h1>
        Stream <span className="mono">{stream}</span>
      </h1>
      {orderId && (
        <p>
          <a href={href.auditOrder(orderId)}>This order as of a time or version</a>
        </p>
      )}
      <RequestState loading={query.isLoading} error={query.error} what="the stream" />
      {events.length > 0 && <EventsTable events={events} showStream={false} />}
      <LoadMore {...more} />
    </section>
  );
}
