import type { ReactNode } from 'react';

/** The heading of a column of numbers (right-aligned, like its cells). */
export function NumberColumn({ children }: { children: ReactNode }) {
  return (
    <th scope="col" className="num">
      {children}
    </th>
  );
}
