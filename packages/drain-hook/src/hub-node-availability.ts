import type { GridHttp } from './grid-http.ts';

/**
 * The node's availability as the hub sees it (UP, DRAINING, DOWN), or undefined when the hub no
 * longer lists it. HttpError when the hub does not answer.
 */
export async function hubNodeAvailability(
  http: GridHttp,
  gridUrl: string,
  nodeId: string,
): Promise<string | undefined> {
  const body = (await http.getJson(`${gridUrl}/status`, 'hub')) as {
    value?: { nodes?: Array<{ id?: unknown; availability?: unknown }> };
  };
  const entry = (body?.value?.nodes ?? []).find((node) => node?.id === nodeId);
  return entry ? String(entry.availability ?? 'UNKNOWN') : undefined;
}
