import { skipToken } from '@reduxjs/toolkit/query';
import { useState, type FormEvent } from 'react';
import { RequestState, Status } from '../components/Status';
import { GROUPINGS, type SalesReport } from '@shop/client';
import type { SalesQuery } from './sales-query';
import { formatCents } from '../money';
import { useSalesReportQuery } from './analytics.api';
import { defaultSalesFields, groupingLabel, salesQuery, totalsByCurrency, type SalesFields } from './sales-query';
import { NumberColumn } from '../components/NumberColumn';

/** Sales between two UTC days, by day or by product, per currency. */
export function SalesPage() {
  const [fields, setFields] = useState<SalesFields>(() => defaultSalesFields(new Date()));
  const [query, setQuery] = useState<SalesQuery | null>(() => {
    const first = salesQuery(fields);
    return 'query' in first ? first.query : null;
  });
  const [invalid, setInvalid] = useState<string | null>(null);
  const { data, error, isFetching } = useSalesReportQuery(query ?? skipToken, { refetchOnMountOrArgChange: true });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = salesQuery(fields);
    setInvalid('error' in checked ? checked.error : null);
    if ('query' in checked) setQuery(checked.query);
  }

  return (
    <section className="panel wide-panel">
      <h1>Sales</h1>
      <form className="row" onSubmit={submit} aria-label="Sales report">
        <label className="inline">
          From
          <input type="date" data-testid="sales-from" value={fields.from} onChange={(e) => setFields((f) => ({ ...f, from: e.target.value }))} />
        </label>
        <label className="inline">
          To (included)
          <input type="date" data-testid="sales-to" value={fields.to} onChange={(e) => setFields((f) => ({ ...f, to: e.target.value }))} />
        </label>
        <fieldset className="inline">
          <legend className="visually-hidden">Group by</legend>
          {GROUPINGS.map((groupBy) => (
            <label key={groupBy} className="inline">
              <input
                type="radio"
                name="group-by"
                value={groupBy}
                data-testid={`sales-by-${groupBy}`}
                checked={fields.groupBy === groupBy}
                onChange={() => setFields((f) => ({ ...f, groupBy }))}
              />
              {groupingLabel(groupBy)}
            </label>
          ))}
        </fieldset>
        <button type="submit" data-testid="sales-submit">
          Show
        </button>
      </form>
      <Status message={invalid ? { kind: 'error', text: invalid } : null} />
      <RequestState loading={isFetching} error={error} what="the report" />
      {data && !isFetching && <SalesTable report={data} />}
      <p className="hint">Days are UTC. Revenue is payments minus refunds, so it can be negative; currencies are never added together.</p>
    </section>
  );
}

function SalesTable({ report }: { report: SalesReport }) {
  if (report.items.length === 0) return <p className="empty" data-testid="sales-empty">No sales in this period.</p>;
  const first = report.groupBy === 'day' ? 'Day' : 'Product';
  return (
    <table className="table" data-testid="sales-table">
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col">Currency</th>
          <NumberColumn>Orders</NumberColumn>
          <NumberColumn>Units</NumberColumn>
          <NumberColumn>Revenue</NumberColumn>
        </tr>
      </thead>
      <tbody>
        {report.groupBy === 'day'
          ? report.items.map((row) => (
              <tr key={`${row.day}-${row.currency}`} data-testid="sales-row">
                <td>{row.day}</td>
                <Figures row={row} />
              </tr>
            ))
          : report.items.map((row) => (
              <tr key={`${row.productId}-${row.currency}`} data-testid="sales-row">
                <td>
                  {row.name} <span className="mono hint">{row.sku}</span>
                </td>
                <Figures row={row} />
              </tr>
            ))}
      </tbody>
      <tfoot>
        {totalsByCurrency(report).map((total) => (
          <tr key={total.currency}>
            <th scope="row">Total</th>
            <Figures row={total} />
          </tr>
        ))}
      </tfoot>
    </table>
  );
}

function Figures({ row }: { row: { currency: string; orders: number; units: number; revenueCents: number } }) {
  return (
    <>
      <td>{row.currency}</td>
      <td className="num">{row.orders}</td>
      <td className="num">{row.units}</td>
      <td className={row.revenueCents < 0 ? 'num negative' : 'num'}>{formatCents(row.revenueCents, row.currency)}</td>
    </>
  );
}
