// The admin's pages and forms, one lazy chunk: its own pages (orders, products, dead letters) through App.tsx, the
// forms inside the shop's pages through admin/admin.lazy.tsx. Its styles come with it.
import '../../admin/admin.css';
export { AdminOrdersPage } from '../../admin/AdminOrdersPage';
export { AdminProductsPage } from '../../admin/AdminProductsPage';
export { DeadLettersPage } from '../../admin/DeadLettersPage';
export { NewProductForm } from '../../admin/NewProductForm';
export { ProductAdmin } from '../../admin/ProductAdmin';
