import { useRoute } from '../route';
import { Catalog } from './Catalog';
import { Header } from './Header';
import { LoginForm } from './LoginForm';
import { ProductDetail } from './ProductDetail';

export function App() {
  const route = useRoute();
  return (
    <>
      <Header />
      <main>
        {route.page === 'catalog' && <Catalog />}
        {route.page === 'login' && <LoginForm />}
        {route.page === 'product' && <ProductDetail id={route.id} />}
        {route.page === 'notFound' && (
          <p className="empty">
            Page not found. <a href="#/">Back to the catalog</a>
          </p>
        )}
      </main>
    </>
  );
}
