import { assertNever } from '@shop/domain';
import { AuditLogPage } from '../audit/AuditLogPage';
import { AuditOrderPage } from '../audit/AuditOrderPage';
import { StreamPage } from '../audit/StreamPage';
import { VerifyPage } from '../audit/VerifyPage';
import { SalesPage } from '../analytics/SalesPage';
import { LoginForm } from '../auth/LoginForm';
import { RegisterForm } from '../auth/RegisterForm';
import { OrderPage } from '../orders/OrderPage';
import { OrdersPage } from '../orders/OrdersPage';
import { useRoute, type Route } from '../route';
import { CartPage } from '../shop/CartPage';
import { Catalog } from '../shop/Catalog';
import { ProductPage } from '../shop/ProductPage';
import { canOpen } from './access';
import { Header } from './Header';
import { NotAllowed } from './NotAllowed';
import { useViewer } from './viewer';

export function App() {
  const route = useRoute();
  const viewer = useViewer();
  return (
    <>
      <Header />
      <main>{canOpen(route.page, viewer) ? <Page route={route} /> : <NotAllowed page={route.page} viewer={viewer} />}</main>
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
