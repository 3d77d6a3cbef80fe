import type { AuditEvent, AuditOrderDiff } from '@shop/client';
import { useState, type FormEvent } from 'react';
import { FieldError, RequestState } from '../components/Status';
import { TableScroll } from '../components/TableScroll';
import { Time } from '../components/Time';
import { useLazyAuditOrderDiffQuery } from './audit.api';
import { diffRange, shownValue } from './order-diff';

/** Two points of the timeline, and every field of the order that differs between them (the API's diff). */
export function OrderDiff({ orderId, events }: { orderId: string; events: readonly AuditEvent[] }) {
  const last = events.at(-1)?.streamVersion ?? 1;
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(last);
  const [invalid, setInvalid] = useState<string | undefined>();
  const [compare, { data, error, isFetching }] = useLazyAuditOrderDiffQuery();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const range = diffRange(from, to);
    setInvalid('error' in range ? range.error : undefined);
    if (!('error' in range)) void compare({ orderId, ...range });
  }

  const point = (event: AuditEvent) => (
    <option key={event.streamVersion} value={event.streamVersion}>
      after v{event.streamVersion} {event.type}
    </option>
  );

  return (
    <>
      <form className="row" onSubmit={submit} aria-label="Points to compare">
        <label className="inline">
          From
          <select data-testid="diff-from" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            <option value={0}>before the order</option>
            {events.map(point)}
          </select>
        </label>
        <label className="inline">
          To
          <select data-testid="diff-to" value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {events.map(point)}
          </select>
        </label>
        <button type="submit" data-testid="diff-submit" disabled={isFetching}>
          Compare
        </button>
        <FieldError text={invalid} />
      </form>
      <RequestState loading={isFetching} error={error} what="the changes" />
      {data && !isFetching && <Changes diff={data} />}
    </>
  );
}

function Changes({ diff }: { diff: AuditOrderDiff }) {
  if (diff.changes.length === 0) {
    return (
      <p className="empty" data-testid="diff-empty">
        Nothing changed between version {diff.from.version} and version {diff.to.version}.
      </p>
    );
  }
  return (
    <TableScroll label="Changes">
      <table className="table diff" data-testid="diff-table">
        <caption>
          From version {diff.from.version} to version {diff.to.version}
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Changed by</th>
          </tr>
        </thead>
        <tbody>
          {diff.changes.map((change) => (
            <tr key={change.field} data-testid="diff-change" data-field={change.field}>
              <th scope="row" className="mono">
                {change.field}
              </th>
              <td className="mono diff-old">{shownValue(change.oldValue)}</td>
              <td className="mono diff-new">{shownValue(change.newValue)}</td>
              <td>
                {change.event.type} (v{change.event.streamVersion}, position <span className="mono">{change.event.globalPosition}</span>,{' '}
                <Time at={change.event.recordedAt} />)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
