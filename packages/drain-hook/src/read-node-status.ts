import type { GridHttp } from './grid-http.ts';
import { HttpError } from './http-error.ts';

export interface NodeStatus {
  readonly nodeId: string;
  readonly availability: string;
  /** Slots that hold a session right now. */
  readonly sessions: number;
  readonly slots: number;
}

/** GET {node}/status, reduced to what draining needs. HttpError when there is no node status. */
export async function readNodeStatus(http: GridHttp, nodeUrl: string, floorMs?: number): Promise<NodeStatus> {
  const url = `${nodeUrl}/status`;
  const body = (await http.getJson(url, 'node', floorMs)) as {
    value?: { node?: { nodeId?: unknown; availability?: unknown; slots?: Array<{ session?: unknown }> } };
  };
  const node = body?.value?.node;
  if (!node || typeof node.nodeId !== 'string' || !Array.isArray(node.slots)) {
    // A router or standalone server also answers /status, but without value.node.
    throw new HttpError('DRAIN_HOOK_HTTP_STATUS', `GET ${url} answered without a Selenium node status`, {
      status: 200,
    });
  }
  return {
    nodeId: node.nodeId,
    availability: String(node.availability ?? 'UNKNOWN'),
    sessions: node.slots.filter((slot) => slot?.session != null).length,
    slots: node.slots.length,
  };
}
