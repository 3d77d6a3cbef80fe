import { skipToken } from '@reduxjs/toolkit/query';
import { useMemo, useState, type FormEvent } from 'react';
import { RequestState, Status } from '../components/Status';
import { GROUPINGS, type SalesByProduct, type SalesReport, type TopProductsReport } from '@shop/client';
import type { SalesQuery } from './sales-query';
import { formatCents } from '../money';
import { useSalesReportQuery, useTopProductsQuery } from './analytics.api';
import { daysOf, defaultSalesFields, groupingLabel, salesQuery, tableTitle, totalsByCurrency, type SalesFields } from './sales-query';
import { NumberColumn } from '../components/NumberColumn';
import { TableScroll } from '../components/TableScroll';
import { BarChart } from './BarChart';
import { revenueByDay, topProductsByCurrency } from './chart-data';
import { csvFileName } from './csv';
import { CsvDownload } from './CsvDownload';
import { salesCsv, topProductsCsv } from './report-csv';

/** How many products the top-products chart ranks per currency. */
const TOP_PRODUCTS = 10;

/**
 * Sales between two UTC days: revenue by day and the top products as charts, and the report by day or by product as
 * a table; each table can be downloaded as CSV.
 */
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
      {query && <Charts query={query} />}
      <h2>{tableTitle(data?.groupBy ?? query?.groupBy ?? 'day')}</h2>
      <RequestState loading={isFetching} error={error} what="the report" />
      {data && !isFetching && <SalesTable report={data} />}
      {data && !isFetching && data.items.length > 0 && (
        <CsvDownload
          csv={salesCsv(data)}
          fileName={csvFileName(tableTitle(data.groupBy), daysOf(data).fromDay, daysOf(data).toDay)}
          what="this table"
          testId="sales-csv"
        />
      )}
      <p className="hint">Days are UTC. Revenue is payments minus refunds, so it can be negative; currencies are never added together.</p>
    </section>
  );
}

/**
 * The two charts of the period: revenue by day (the day report, one chart per currency) and the top products. Their
 * reports are asked for here, whatever grouping the table shows (RTK Query shares the day report with the table).
 */
function Charts({ query }: { query: SalesQuery }) {
  const { fromDay, toDay } = daysOf(query);
  const byDay = useSalesReportQuery({ ...query, groupBy: 'day' }, { refetchOnMountOrArgChange: true });
  const top = useTopProductsQuery({ from: query.from, to: query.to, limit: TOP_PRODUCTS }, { refetchOnMountOrArgChange: true });
  const days = useMemo(() => (byDay.data?.groupBy === 'day' ? revenueByDay(byDay.data.items, fromDay, toDay) : []), [byDay.data, fromDay, toDay]);
  const products = useMemo(() => (top.data ? topProductsByCurrency(top.data.items) : []), [top.data]);

  return (
    <>
      <h2>Revenue by day</h2>
      <RequestState loading={byDay.isFetching} error={byDay.error} what="revenue by day" />
      {byDay.data && !byDay.isFetching && days.length === 0 && <p className="empty">No sales to chart in this period.</p>}
      {!byDay.isFetching && days.map((series) => <BarChart key={series.currency} title="Revenue by day" series={series} testId="revenue-chart" />)}

      <h2>Top products</h2>
      <RequestState loading={top.isFetching} error={top.error} what="the top products" />
      {top.data && !top.isFetching && (
        <>
          {products.map((series) => (
            <BarChart key={series.currency} title={`Top ${TOP_PRODUCTS} products by revenue`} series={series} horizontal testId="top-products-chart" />
          ))}
          <TopProductsTable report={top.data} />
          {top.data.items.length > 0 && (
            <CsvDownload csv={topProductsCsv(top.data)} fileName={csvFileName('top products', fromDay, toDay)} what="the top products" testId="top-products-csv" />
          )}
        </>
      )}
    </>
  );
}

function TopProductsTable({ report }: { report: TopProductsReport }) {
  if (report.items.length === 0) return <p className="empty" data-testid="top-products-empty">No products sold in this period.</p>;
  return (
    <TableScroll label="Top products">
      <table className="table" data-testid="top-products-table">
        <SalesHead first="Product" />
        <tbody>
          {report.items.map((row) => (
            <tr key={`${row.productId}-${row.currency}`} data-testid="top-product-row">
              <ProductCell row={row} />
              <Figures row={row} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function SalesTable({ report }: { report: SalesReport }) {
  if (report.items.length === 0) return <p className="empty" data-testid="sales-empty">No sales in this period.</p>;
  return (
    <TableScroll label={tableTitle(report.groupBy)}>
    <table className="table" data-testid="sales-table">
      <SalesHead first={report.groupBy === 'day' ? 'Day' : 'Product'} />
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
                <ProductCell row={row} />
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
    </TableScroll>
  );
}

/** The columns of every sales table: what a row is about, then its currency and figures. */
function SalesHead({ first }: { first: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">Currency</th>
        <NumberColumn>Orders</NumberColumn>
        <NumberColumn>Units</NumberColumn>
        <NumberColumn>Revenue</NumberColumn>
      </tr>
    </thead>
  );
}

function ProductCell({ row }: { row: SalesByProduct }) {
  return (
    <td>
      {row.name} <span className="mono hint">{row.sku}</span>
    </td>
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
