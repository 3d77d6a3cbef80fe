import type { Product } from '@shop/client';
import { lazy } from 'react';
import { LazyBoundary } from '../app/lazy';

// The admin's forms live inside the shop's pages (the catalog and a product's page) but only an admin sees them:
// they load as a chunk of their own on first use, each in its own boundary so the page around them stays up.
const admin = () => import('../app/chunks/admin.chunk');
const NewProductFormChunk = lazy(() => admin().then((chunk) => ({ default: chunk.NewProductForm })));
const ProductAdminChunk = lazy(() => admin().then((chunk) => ({ default: chunk.ProductAdmin })));

export function NewProductForm() {
  return (
    <LazyBoundary what="the product form">
      <NewProductFormChunk />
    </LazyBoundary>
  );
}

export function ProductAdmin({ product }: { product: Product }) {
  return (
    <LazyBoundary what="the product editor">
      <ProductAdminChunk product={product} />
    </LazyBoundary>
  );
}
