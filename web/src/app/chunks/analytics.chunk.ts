// The analyst's pages, one lazy chunk (a chart library imported here stays out of every other page).
export { SalesPage } from '../../analytics/SalesPage';
