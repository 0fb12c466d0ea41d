import type { StartSpec } from '../spec/job-spec.ts';

/** The spec's start pages: its list, or its template with `{page}` replaced from `from` to `to`. */
export function expandStartUrls(start: StartSpec): string[] {
  if (start.kind === 'urls') return [...start.urls];
  const urls: string[] = [];
  for (let page = start.from; page <= start.to; page++)
    urls.push(start.template.replaceAll('{page}', String(page)));
  return urls;
}
