// Where each page of a client lives in the site. The overview keeps the name a client's page always had
// (`<client>.html`), so links people saved keep working; the month and coverage pages sit in a folder of
// that name, and a month page never moves once published (`<client>/2026-07.html`).
export interface ClientPaths {
  stem: string;
  overview: string;
  coverage: string;
  month(month: string): string;
  userPage(name: string, month: string | null): string;
}

export function clientPaths(fileName: string): ClientPaths {
  const stem = fileName.replace(/\.html$/, '');
  return {
    stem,
    overview: `${stem}.html`,
    coverage: `${stem}/coverage.html`,
    month: (month) => `${stem}/${month}.html`,
    userPage: (name, month) => (month === null ? `${stem}/${name}.html` : `${stem}/${month}-${name}.html`),
  };
}

/** The link from a page at `from` to the page at `to`, both site-relative paths. */
export function relativeHref(from: string, to: string): string {
  const depth = from.split('/').length - 1;
  return `${'../'.repeat(depth)}${to}`;
}
