// The shopper's pages, one lazy chunk (loaded by app/App.tsx on the first of them a visitor opens).
export { CartPage } from '../../shop/CartPage';
export { Catalog } from '../../shop/Catalog';
export { ProductPage } from '../../shop/ProductPage';
