import type { Download } from '../api/client';

/**
 * Hands a file the API answered to the browser as a download. The export needs the session's Authorization header,
 * which a plain link cannot send, so the file is fetched first and offered from memory.
 */
export function saveDownload(download: Download, doc: Document = document): void {
  const url = URL.createObjectURL(download.blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = download.filename;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
