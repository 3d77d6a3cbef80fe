import type { ReactNode } from 'react';

/**
 * A table that may be wider than a phone scrolls inside this box, never the page. The box can take the focus, so a
 * keyboard user can scroll it too, and is named, as a focusable region must be.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
