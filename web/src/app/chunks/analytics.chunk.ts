// The analyst's pages, one lazy chunk: Chart.js (imported by analytics/BarChart.tsx) and its styles stay out of
// every other page.
import '../../analytics/analytics.css';
export { SalesPage } from '../../analytics/SalesPage';
