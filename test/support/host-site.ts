import { createServer } from 'node:http';

/** A host site on another origin than the comment server: serves each page of `pages` by path (query ignored), 404 otherwise. */
export async function startHostSite(port: number, pages: ReadonlyMap<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const url = `http://127.0.0.1:${port}`;
  const site = createServer((request, response) => {
    const page = pages.get(new URL(request.url ?? '/', url).pathname);
    if (page === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => site.listen(port, '127.0.0.1', resolve));
  return { url, close: () => new Promise<void>((resolve) => site.close(() => resolve())) };
}
