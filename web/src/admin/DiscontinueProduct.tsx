import { useState } from 'react';
import { Status, type StatusMessage } from '../components/Status';
import type { Product } from '@shop/client';
import { errorMessage, type ApiError } from '../problem';
import { useDiscontinueProductMutation } from './products.api';

export function DiscontinueProduct({ product }: { product: Product }) {
  const [discontinue, { isLoading }] = useDiscontinueProductMutation();
  const [status, setStatus] = useState<StatusMessage | null>(null);

  async function confirmAndDiscontinue() {
    if (!window.confirm(`Discontinue ${product.name}? It can then no longer be ordered, changed or restocked.`)) return;
    try {
      await discontinue(product.id).unwrap();
      setStatus({ kind: 'ok', text: 'Discontinued.' });
    } catch (error) {
      setStatus({ kind: 'error', text: errorMessage(error as ApiError) ?? 'Could not discontinue.' });
    }
  }

  return (
    <section className="panel narrow" aria-labelledby="discontinue">
      <h2 id="discontinue">Discontinue</h2>
      <p className="hint">It stays readable; orders already placed are not affected.</p>
      <button type="button" className="danger" data-testid="discontinue" disabled={isLoading} onClick={() => void confirmAndDiscontinue()}>
        Discontinue this product
      </button>
      <Status message={status} testId="discontinue-status" />
    </section>
  );
}
