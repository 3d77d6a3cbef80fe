/** The "next page" button of a keyset-paged list. */
export function LoadMore({ hasMore, loading, onMore, testId = 'load-more' }: { hasMore: boolean; loading: boolean; onMore: () => void; testId?: string }) {
  if (!hasMore) return null;
  return (
    <button type="button" className="secondary" disabled={loading} onClick={onMore} data-testid={testId}>
      {loading ? 'Loading…' : 'Load more'}
    </button>
  );
}
