/** The "next page" button of a keyset-paged list. */
export function LoadMore({ hasMore, loading, onMore, testId = 'load-more' }: { hasMore: boolean; loading: boolean; onMore: () => void; testId?: string }) {
  if (!hasMore) return null;
  return (
    <button type="button" className="secondary" disabled={loading} onClick={onMore} data-testid={testId}>
      {loading ? 'Loading…' : 'Load more'}
    </button>
  );
}

/** What an infinite query of a keyset-paged list (RTK Query) tells a page. */
interface PagedQuery<T> {
  data?: { pages: Array<{ items: T[] }> } | undefined;
  error?: unknown;
  isLoading: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** A paged list's items so far, whether it is known to be empty, and the props of its LoadMore button. */
export function pagedList<T>(query: PagedQuery<T>) {
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return {
    items,
    empty: !query.isLoading && !query.error && items.length === 0,
    more: { hasMore: query.hasNextPage, loading: query.isFetchingNextPage, onMore: () => void query.fetchNextPage() },
  };
}
