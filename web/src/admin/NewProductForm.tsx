import { useState, type FormEvent } from 'react';
import { Currency, type CreateProductRequest } from '@shop/client';
import { FieldError, Status, type StatusMessage } from '../components/Status';
import { useForm, type FieldErrors } from '../components/use-form';
import { parseCents, parseCount } from '../money';
import { errorMessage, type ApiError } from '../problem';
import { useCreateProductMutation } from './products.api';

export const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;

interface Fields {
  sku: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  stock: string;
}

const EMPTY: Fields = { sku: '', name: '', description: '', price: '', currency: 'EUR', stock: '0' };

/** Client-side checks; returns the request body, or the problems to show next to each field. */
function validate(fields: Fields): { product: CreateProductRequest } | { errors: FieldErrors<Fields> } {
  const errors: FieldErrors<Fields> = {};
  const priceCents = parseCents(fields.price);
  const initialStock = parseCount(fields.stock);
  if (!fields.sku.trim()) errors.sku = 'SKU is required.';
  if (!fields.name.trim()) errors.name = 'Name is required.';
  if (priceCents === null) errors.price = 'Enter a price like 12.34 (at most two decimals).';
  if (initialStock === null) errors.stock = 'Enter a whole number, 0 or more.';
  const currency = Currency.safeParse(fields.currency);
  if (!currency.success) errors.currency = 'Choose a currency.';
  if (priceCents === null || initialStock === null || !currency.success || Object.keys(errors).length > 0) return { errors };
  return {
    product: {
      sku: fields.sku.trim(),
      name: fields.name.trim(),
      description: fields.description.trim(),
      priceCents,
      currency: currency.data,
      initialStock,
    },
  };
}

export function NewProductForm() {
  const [createProduct, { isLoading }] = useCreateProductMutation();
  const { fields, setFields, errors, input, check } = useForm<Fields>(EMPTY);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = check(validate(fields));
    if (!checked) {
      setStatus({ kind: 'error', text: 'Please fix the highlighted fields.' });
      return;
    }
    setStatus(null);
    try {
      await createProduct(checked.product).unwrap();
      setStatus({ kind: 'ok', text: `Created ${checked.product.name}` });
      setFields(EMPTY);
    } catch (error) {
      setStatus({ kind: 'error', text: errorMessage(error as ApiError) ?? 'Could not create the product.' });
    }
  }

  return (
    <section className="panel">
      <h2>New product</h2>
      <form className="grid" noValidate onSubmit={(event) => void submit(event)}>
        <label>
          SKU
          <input data-testid="product-sku" autoComplete="off" {...input('sku')} />
          <FieldError text={errors.sku} />
        </label>
        <label>
          Name
          <input data-testid="product-name" autoComplete="off" {...input('name')} />
          <FieldError text={errors.name} />
        </label>
        <label className="wide">
          Description
          <textarea data-testid="product-description" rows={2} {...input('description')} />
        </label>
        <label>
          Price
          <input data-testid="product-price" inputMode="decimal" placeholder="12.34" autoComplete="off" {...input('price')} />
          <FieldError text={errors.price} />
        </label>
        <label>
          Currency
          <select data-testid="product-currency" {...input('currency')}>
            {CURRENCIES.map((currency) => (
              <option key={currency}>{currency}</option>
            ))}
          </select>
        </label>
        <label>
          Initial stock
          <input data-testid="product-stock" inputMode="numeric" autoComplete="off" {...input('stock')} />
          <FieldError text={errors.stock} />
        </label>
        <div className="wide">
          <button data-testid="product-submit" type="submit" disabled={isLoading}>
            {isLoading ? 'Creating…' : 'Create product'}
          </button>
        </div>
      </form>
      <Status message={status} />
    </section>
  );
}

