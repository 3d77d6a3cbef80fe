// The order pages (a shopper's own, every order for an admin or auditor), one lazy chunk.
export { OrderPage } from '../../orders/OrderPage';
export { OrdersPage } from '../../orders/OrdersPage';
