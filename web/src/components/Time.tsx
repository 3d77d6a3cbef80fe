/** An instant in the viewer's locale, machine-readable in `dateTime`. */
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="empty">—</span>;
  const date = new Date(at);
  return <time dateTime={at}>{Number.isNaN(date.getTime()) ? at : date.toLocaleString()}</time>;
}
