import { useEffect, useState, type FormEvent } from 'react';
import { FieldError, Status, type StatusMessage } from '../components/Status';
import type { Product } from '@shop/client';
import { formatCents } from '../money';
import { errorMessage, httpStatusOf, problemOf, type ApiError } from '../problem';
import { etagOf, useGetProductQuery } from '../shop/catalog.api';
import { draftOf, productChanges, type DraftErrors, type ProductDraft } from './product-changes';
import { useUpdateProductMutation } from './products.api';

/** The version an edit was started from: its ETag goes out as If-Match. */
interface Editing {
  base: Product;
  draft: ProductDraft;
}

/** How often the page re-reads the product after a 412 until the read model shows the version that won. */
const FRESH_READ_ATTEMPTS = 10;
const FRESH_READ_DELAY_MS = 300;

const versionOfEtag = (etag: string | undefined): number | null => {
  const match = /^"(\d+)"$/.exec(etag ?? '');
  return match ? Number(match[1]) : null;
};

/**
 * Rename, redescribe, reprice. The PATCH carries `If-Match` with the ETag of the version the form was filled
 * from; if someone changed the product since, the server answers 412 and writes nothing, and the form offers
 * the current version to start again from.
 */
export function ProductEditor({ product }: { product: Product }) {
  const [update, { isLoading }] = useUpdateProductMutation();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [status, setStatus] = useState<StatusMessage | null>(null);
  /** After a 412: the version the server says is current (from `currentEtag`), which we wait to read. */
  const [staleSince, setStaleSince] = useState<number | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!editing) return;
    const checked = productChanges(editing.base, editing.draft);
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    if ('unchanged' in checked) {
      setStatus({ kind: 'info', text: 'Nothing to change.' });
      return;
    }
    try {
      await update({ id: product.id, ifMatch: etagOf(editing.base), changes: checked.changes }).unwrap();
      setEditing(null);
      setStatus({ kind: 'ok', text: 'Saved.' });
    } catch (caught) {
      const error = caught as ApiError;
      if (httpStatusOf(error) === 412) {
        setStaleSince(versionOfEtag(problemOf(error)?.currentEtag) ?? editing.base.version + 1);
        setStatus({ kind: 'error', text: 'This product changed since you read it — reload to edit the current version.' });
      } else {
        setStatus({ kind: 'error', text: errorMessage(error) ?? 'Could not save.' });
      }
    }
  }

  function startFrom(current: Product) {
    setEditing({ base: current, draft: draftOf(current) });
    setStaleSince(null);
    setErrors({});
    setStatus(null);
  }

  const set = (name: keyof ProductDraft) => (event: { target: { value: string } }) =>
    setEditing((current) => (current ? { ...current, draft: { ...current.draft, [name]: event.target.value } } : current));

  return (
    <section className="panel narrow" aria-labelledby="edit-product">
      <h2 id="edit-product">Edit product</h2>
      {!editing ? (
        <button type="button" data-testid="edit-product" onClick={() => startFrom(product)}>
          Edit name, description or price
        </button>
      ) : (
        <form noValidate onSubmit={(event) => void submit(event)}>
          <p className="hint">
            Editing version {editing.base.version}
            {staleSince === null && editing.base.version !== product.version && ' (a newer version exists: saving will be refused)'}.
          </p>
          <label>
            Name
            <input data-testid="edit-name" value={editing.draft.name} onChange={set('name')} aria-invalid={errors.name ? true : undefined} />
            <FieldError text={errors.name} />
          </label>
          <label>
            Description
            <textarea data-testid="edit-description" rows={3} value={editing.draft.description} onChange={set('description')} />
            <FieldError text={errors.description} />
          </label>
          <label>
            Price ({product.currency})
            <input data-testid="edit-price" inputMode="decimal" value={editing.draft.price} onChange={set('price')} aria-invalid={errors.price ? true : undefined} />
            <FieldError text={errors.price} />
          </label>
          <div className="row">
            <button type="submit" data-testid="save-product" disabled={isLoading || staleSince !== null}>
              {isLoading ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="link" onClick={() => setEditing(null)}>
              Discard changes
            </button>
          </div>
        </form>
      )}
      <Status message={status} testId="edit-status" />
      {staleSince !== null && <FreshVersion id={product.id} atLeast={staleSince} onReload={startFrom} />}
    </section>
  );
}

/**
 * The version that won, read back. The read model may be a moment behind the command side's 412, and this
 * read cannot carry the other writer's Consistency-Token, so it is re-read (bounded) until it shows at least
 * the version the 412 named.
 */
function FreshVersion({ id, atLeast, onReload }: { id: string; atLeast: number; onReload: (product: Product) => void }) {
  const { data: product, refetch, isFetching } = useGetProductQuery(id);
  const [attempts, setAttempts] = useState(0);
  const current = product && product.version >= atLeast ? product : null;

  useEffect(() => {
    if (current || isFetching || attempts >= FRESH_READ_ATTEMPTS) return;
    const timer = setTimeout(() => {
      setAttempts((n) => n + 1);
      void refetch();
    }, attempts === 0 ? 0 : FRESH_READ_DELAY_MS);
    return () => clearTimeout(timer);
  }, [current, isFetching, attempts, refetch]);

  if (!current) {
    return <p className="hint">{attempts >= FRESH_READ_ATTEMPTS ? 'The current version could not be read yet; try again shortly.' : 'Reading the current version…'}</p>;
  }
  return (
    <div className="fresh-version" data-testid="fresh-version">
      <h3>The current version ({current.version})</h3>
      <dl>
        <dt>Name</dt>
        <dd>{current.name}</dd>
        <dt>Description</dt>
        <dd>{current.description || <em>none</em>}</dd>
        <dt>Price</dt>
        <dd>{formatCents(current.priceCents, current.currency)}</dd>
      </dl>
      <button type="button" data-testid="reload-product" onClick={() => onReload(current)}>
        Reload: edit the current version
      </button>
    </div>
  );
}
