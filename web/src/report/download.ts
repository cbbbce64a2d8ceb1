// Saving a file from the page: a Blob behind an object URL and a link with `download`. The link is
// never shown (made, clicked, removed), so plain DOM calls rather than a component.

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns: free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** "2026-11-27T05-41" from an ISO date: sortable and valid in every file system. */
export function fileStamp(iso: string): string {
  return iso.slice(0, 16).replace(/:/g, '-');
}

/** A file name part made of letters, digits, dots, dashes and underscores only. */
export function safeFilePart(text: string): string {
  return text.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'run';
}
