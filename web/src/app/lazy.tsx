import { Component, Suspense, type ReactNode } from 'react';

/** What shows while a chunk is on its way; a polite live region, so a screen reader hears that something is coming. */
function ChunkLoading({ what }: { what: string }) {
  return (
    <p className="empty" role="status" data-testid="chunk-loading">
      Loading {what}…
    </p>
  );
}

interface BoundaryState {
  failed: boolean;
}

/**
 * A chunk that cannot be fetched (offline, or a new deploy removed it) rejects the lazy import, which React throws at
 * the nearest error boundary: without one the whole app would go blank. A reload fetches the current build.
 */
class ChunkErrorBoundary extends Component<{ what: string; children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { failed: false };

  static getDerivedStateFromError(): BoundaryState {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="panel narrow" role="alert" data-testid="chunk-failed">
        <p>Sorry, {this.props.what} could not be loaded.</p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}

/** Where lazy components render: a loading line while their chunk loads, a reload offer if it cannot. */
export function LazyBoundary({ what, children }: { what: string; children: ReactNode }) {
  return (
    <ChunkErrorBoundary what={what}>
      <Suspense fallback={<ChunkLoading what={what} />}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}
