import { assertNever } from '@shop/domain';
import { lazy } from 'react';
import { useRoute, type Route } from '../route';
import { canOpen } from './access';
import { Header } from './Header';
import { LazyBoundary } from './lazy';
import { NotAllowed } from './NotAllowed';
import { useViewer } from './viewer';

// Code-split by route: each area's pages are one chunk (app/chunks/*.chunk.ts), fetched the first time one of its
// pages opens, so a shopper's phone never downloads the auditor's pages. The entry chunk keeps only the shell: the
// header, the router, the store and the session.
const shop = () => import('./chunks/shop.chunk');
const Catalog = lazy(() => shop().then((chunk) => ({ default: chunk.Catalog })));
const ProductPage = lazy(() => shop().then((chunk) => ({ default: chunk.ProductPage })));
const CartPage = lazy(() => shop().then((chunk) => ({ default: chunk.CartPage })));

const orders = () => import('./chunks/orders.chunk');
const OrdersPage = lazy(() => orders().then((chunk) => ({ default: chunk.OrdersPage })));
const OrderPage = lazy(() => orders().then((chunk) => ({ default: chunk.OrderPage })));

const auth = () => import('./chunks/auth.chunk');
const LoginForm = lazy(() => auth().then((chunk) => ({ default: chunk.LoginForm })));
const RegisterForm = lazy(() => auth().then((chunk) => ({ default: chunk.RegisterForm })));

const audit = () => import('./chunks/audit.chunk');
const AuditLogPage = lazy(() => audit().then((chunk) => ({ default: chunk.AuditLogPage })));
const StreamPage = lazy(() => audit().then((chunk) => ({ default: chunk.StreamPage })));
const AuditOrderPage = lazy(() => audit().then((chunk) => ({ default: chunk.AuditOrderPage })));
const VerifyPage = lazy(() => audit().then((chunk) => ({ default: chunk.VerifyPage })));

const analytics = () => import('./chunks/analytics.chunk');
const SalesPage = lazy(() => analytics().then((chunk) => ({ default: chunk.SalesPage })));

const admin = () => import('./chunks/admin.chunk');
const AdminOrdersPage = lazy(() => admin().then((chunk) => ({ default: chunk.AdminOrdersPage })));
const AdminProductsPage = lazy(() => admin().then((chunk) => ({ default: chunk.AdminProductsPage })));
const DeadLettersPage = lazy(() => admin().then((chunk) => ({ default: chunk.DeadLettersPage })));

export function App() {
  const route = useRoute();
  const viewer = useViewer();
  return (
    <>
      <Header />
      <main>
        {/* Keyed by page: a page that failed to load does not keep the next one from showing. */}
        <LazyBoundary key={route.page} what="this page">
          {canOpen(route.page, viewer) ? <Page route={route} /> : <NotAllowed page={route.page} viewer={viewer} />}
        </LazyBoundary>
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'catalog':
      return <Catalog />;
    case 'login':
      return <LoginForm next={route.next} />;
    case 'register':
      return <RegisterForm />;
    case 'product':
      return <ProductPage id={route.id} />;
    case 'cart':
      return <CartPage />;
    case 'orders':
      return <OrdersPage />;
    case 'order':
      return <OrderPage id={route.id} />;
    case 'auditLog':
      return <AuditLogPage />;
    case 'auditStream':
      return <StreamPage stream={route.stream} />;
    case 'auditOrder':
      return <AuditOrderPage id={route.id} />;
    case 'verify':
      return <VerifyPage />;
    case 'sales':
      return <SalesPage />;
    case 'adminOrders':
      return <AdminOrdersPage />;
    case 'adminProducts':
      return <AdminProductsPage />;
    case 'deadLetters':
      return <DeadLettersPage />;
    case 'notFound':
      return (
        <p className="empty">
          Page not found. <a href="#/">Back to the catalog</a>
        </p>
      );
    default:
      return assertNever(route);
  }
}
