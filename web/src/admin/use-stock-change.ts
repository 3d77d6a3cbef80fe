import type { Product, StockAdjustmentRequest } from '@shop/client';
import { useState, type FormEvent } from 'react';
import type { StatusMessage } from '../components/Status';
import { useForm, type FieldErrors } from '../components/use-form';
import { errorMessage, type ApiError } from '../problem';
import { useAdjustStockMutation } from './products.api';

/**
 * A stock change form of a product (the product page's, a products list row's): its fields, checked by `adjustmentOf`,
 * sent, and the outcome as a status line. A refusal (409 `insufficient_stock`: available stock would go below zero)
 * keeps the fields; a success empties them and invalidates the product, so what shows its stock is read again.
 */
export function useStockChange<F extends { [K in keyof F]: string }>(
  product: Product,
  empty: F,
  adjustmentOf: (fields: F) => { adjustment: StockAdjustmentRequest } | { errors: FieldErrors<F> },
) {
  const [adjust, { isLoading }] = useAdjustStockMutation();
  const form = useForm<F>(empty);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = form.check(adjustmentOf(form.fields));
    if (!checked) return;
    setStatus(null);
    try {
      const { stockAvailable } = await adjust({ id: product.id, adjustment: checked.adjustment }).unwrap();
      form.setFields(empty);
      setStatus({ kind: 'ok', text: `Done: ${stockAvailable} available.` });
    } catch (error) {
      setStatus({ kind: 'error', text: errorMessage(error as ApiError) ?? 'Could not change the stock.' });
    }
  }

  return { ...form, status, saving: isLoading, submit: (event: FormEvent<HTMLFormElement>) => void send(event) };
}
