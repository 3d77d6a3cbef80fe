import { useState, type FormEvent } from 'react';
import { FieldError, Status, type StatusMessage } from '../components/Status';
import { Currency, type CreateProductRequest } from '@shop/client';
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

type FieldErrors = Partial<Record<keyof Fields, string>>;

const EMPTY: Fields = { sku: '', name: '', description: '', price: '', currency: 'EUR', stock: '0' };

/** Client-side checks; returns the request body, or the problems to show next to each field. */
function validate(fields: Fields): { product: CreateProductRequest } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
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
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<StatusMessage | null>(null);

  const field = (name: keyof Fields) => ({
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields((current) => ({ ...current, [name]: event.target.value })),
    'aria-invalid': errors[name] ? true : undefined,
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = validate(fields);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setStatus({ kind: 'error', text: 'Please fix the highlighted fields.' });
      return;
    }
    setErrors({});
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
          <input data-testid="product-sku" autoComplete="off" {...field('sku')} />
          <FieldError text={errors.sku} />
        </label>
        <label>
          Name
          <input data-testid="product-name" autoComplete="off" {...field('name')} />
          <FieldError text={errors.name} />
        </label>
        <label className="wide">
          Description
          <textarea data-testid="product-description" rows={2} {...field('description')} />
        </label>
        <label>
          Price
          <input data-testid="product-price" inputMode="decimal" placeholder="12.34" autoComplete="off" {...field('price')} />
          <FieldError text={errors.price} />
        </label>
        <label>
          Currency
          <select data-testid="product-currency" {...field('currency')}>
            {CURRENCIES.map((currency) => (
              <option key={currency}>{currency}</option>
            ))}
          </select>
        </label>
        <label>
          Initial stock
          <input data-testid="product-stock" inputMode="numeric" autoComplete="off" {...field('stock')} />
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

