import { ErrorStatus, Loading } from '../components/Status';
import { LoadMore } from '../components/LoadMore';
import { href } from '../route';
import { orderIdOfStream } from './as-of';
import { useAuditStreamInfiniteQuery } from './audit.api';
import { EventsTable } from './EventsTable';

/** One stream's events in version order, with envelopes and hashes. */
export function StreamPage({ stream }: { stream: string }) {
  const { data, error, isLoading, hasNextPage, fetchNextPage, isFetchingNextPage } = useAuditStreamInfiniteQuery(stream, { refetchOnMountOrArgChange: true });
  const events = data?.pages.flatMap((page) => page.items) ?? [];
  const orderId = orderIdOfStream(stream);

  return (
    <section className="panel wide-panel">
      <p>
        <a href={href.auditLog()}>← Audit log</a>
      </p>
      <h1>
        Stream <span className="mono">{stream}</span>
      </h1>
      {orderId && (
        <p>
          <a href={href.auditOrder(orderId)}>This order as of a time or version</a>
        </p>
      )}
      <ErrorStatus error={error} />
      {isLoading && <Loading what="the stream" />}
      {events.length > 0 && <EventsTable events={events} showStream={false} />}
      <LoadMore hasMore={hasNextPage} loading={isFetchingNextPage} onMore={() => void fetchNextPage()} />
    </section>
  );
}
