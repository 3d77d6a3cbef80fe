import type { Product } from '@shop/client';

/** The product's picture, if it has one. An answer from a server without images (no `imageUrl` at all) reads as none. */
export const imageOf = (product: Product & { imageUrl?: string | null }): string | null => product.imageUrl ?? null;

/**
 * A product's picture in a fixed 4:3 box: width and height are set (and the CSS keeps the ratio), so nothing moves
 * when it arrives; `loading="lazy"` fetches it only near the viewport. Without a picture, a drawn placeholder of
 * the same size (no request, and nothing the Content-Security-Policy must allow).
 */
export function ProductImage({ product, size = 'card' }: { product: Product; size?: 'card' | 'page' }) {
  const url = imageOf(product);
  const [width, height] = size === 'page' ? [480, 360] : [320, 240];
  if (!url) {
    return (
      <svg className="product-image placeholder" data-testid="image-placeholder" width={width} height={height} viewBox="0 0 4 3" aria-hidden="true">
        <rect width="4" height="3" />
        <path d="M1 2.2 1.7 1.4 2.3 2 2.6 1.7 3 2.2Z" />
        <circle cx="2.75" cy="1" r=".25" />
      </svg>
    );
  }
  return <img className="product-image" src={url} alt="" width={width} height={height} loading="lazy" decoding="async" />;
}
