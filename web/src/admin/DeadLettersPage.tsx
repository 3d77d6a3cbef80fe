import { PROJECTION_NAMES, ProjectionName } from '@shop/client';
import { useEffect, useMemo, useState } from 'react';
import { LoadMore, pagedList } from '../components/LoadMore';
import { NumberColumn } from '../components/NumberColumn';
import { RequestState, Status, type StatusMessage } from '../components/Status';
import { TableScroll } from '../components/TableScroll';
import { Time } from '../components/Time';
import { usePageVisible } from '../components/use-page-visible';
import { errorMessage, type ApiError } from '../problem';
import { navigate, useHash } from '../route';
import { deadLettersHref, parseDeadLetterProjection, REDRIVE_POLL_MS, redriveMessage, redriveVerdict } from './dead-letters';
import { useListDeadLettersInfiniteQuery, useRedriveProjectionMutation } from './dead-letters.api';

interface Watch {
  requestId: string;
  startedAt: number;
}

/**
 * The events a projection parked, newest first, and its redrive: the request is posted (202), then the list is read
 * every REDRIVE_POLL_MS while the page is visible, until it is empty or the watch gives up (dead-letters.ts).
 */
export function DeadLettersPage() {
  const hash = useHash();
  const projection = useMemo(() => parseDeadLetterProjection(hash), [hash]);
  // One watch per projection: picking another ends it (the page is keyed below).
  return <ProjectionLetters key={projection} projection={projection} />;
}

function ProjectionLetters({ projection }: { projection: ProjectionName }) {
  const visible = usePageVisible();
  const [watch, setWatch] = useState<Watch | null>(null);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const [redrive, redriving] = useRedriveProjectionMutation();
  const query = useListDeadLettersInfiniteQuery(projection, { pollingInterval: watch && visible ? REDRIVE_POLL_MS : 0 });
  const { items: letters, empty, more } = pagedList(query);
  const remaining = letters.length;

  // Each list read after the request (not one already on its way when it was posted) decides whether to go on.
  const readAt = query.fulfilledTimeStamp ?? 0;
  useEffect(() => {
    if (!watch || query.isFetching || readAt <= watch.startedAt) return;
    const verdict = redriveVerdict({ startedAt: watch.startedAt, readAt, remaining });
    if (verdict === 'watching') return;
    setWatch(null);
    setStatus(redriveMessage(verdict, projection, remaining));
  }, [watch, readAt, query.isFetching, remaining, projection]);

  async function startRedrive() {
    setStatus(null);
    try {
      const { requestId } = await redrive(projection).unwrap();
      setWatch({ requestId, startedAt: Date.now() });
      setStatus({ kind: 'info', text: `Redrive requested (${requestId.slice(0, 8)}): watching the list…` });
      void query.refetch();
    } catch (error) {
      setStatus({ kind: 'error', text: errorMessage(error as ApiError) ?? 'Could not request the redrive.' });
    }
  }

  return (
    <section className="panel" aria-labelledby="dead-letters-title">
      <h1 id="dead-letters-title">Dead letters</h1>
      <p className="hint">
        An event a projection failed on is parked with the later events of its stream; a redrive applies them again, oldest first, once the cause is fixed.
      </p>
      <div className="admin-filters">
        <label>
          Projection
          <select data-testid="dead-letter-projection" value={projection} onChange={(event) => navigate(deadLettersHref(ProjectionName.parse(event.target.value)))}>
            {PROJECTION_NAMES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <div className="admin-filter-buttons">
          <button type="button" data-testid="redrive" disabled={redriving.isLoading || watch !== null} onClick={() => void startRedrive()}>
            {watch ? 'Redriving…' : 'Redrive'}
          </button>
        </div>
      </div>
      <Status message={status} testId="redrive-status" />
      <RequestState loading={query.isLoading} error={query.error} what="the dead letters" />
      {empty && (
        <p className="empty" data-testid="dead-letters-empty">
          No dead letters: {projection} applied every event it was given.
        </p>
      )}
      {letters.length > 0 && (
        <TableScroll label="Dead letters">
          <table className="table" data-testid="dead-letters">
            <thead>
              <tr>
                <NumberColumn>Position</NumberColumn>
                <th scope="col">Stream</th>
                <th scope="col">Type</th>
                <th scope="col">Error</th>
                <NumberColumn>Attempts</NumberColumn>
                <th scope="col">Failed at</th>
              </tr>
            </thead>
            <tbody>
              {letters.map((letter) => (
                <tr key={`${letter.projection}-${letter.globalPosition}`} data-testid="dead-letter">
                  <td className="num mono">{letter.globalPosition}</td>
                  <td className="mono">{letter.streamId}</td>
                  <td>{letter.eventType}</td>
                  <td className="dead-letter-error">{letter.error}</td>
                  <td className="num">{letter.attempts}</td>
                  <td>
                    <Time at={letter.failedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <LoadMore {...more} />
    </section>
  );
}
