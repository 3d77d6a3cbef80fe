/** A button that saves `csv` as a UTF-8 file, built in the browser from the table already on the page. */
export function CsvDownload({ csv, fileName, what, testId }: { csv: string; fileName: string; what: string; testId: string }) {
  function download() {
    // A byte-order mark first: Excel opens a CSV without one in the system's legacy code page and garbles every
    // non-ASCII product name; other readers skip it.
    const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    // The click has handed the blob to the download; the next task may let it go.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return (
    <button type="button" className="secondary" onClick={download} data-testid={testId}>
      Download {what} as CSV
    </button>
  );
}
