import type { DrainAnswer } from './drain-answer.ts';
import type { GridHttp } from './grid-http.ts';
import { HttpError } from './http-error.ts';
import { MUST_CALL_MS } from './must-call-ms.ts';

/** POST {node}/se/grid/node/drain: 200 (no body) when the node drains. */
export async function postNodeDrain(http: GridHttp, nodeUrl: string): Promise<DrainAnswer> {
  try {
    const { status } = await http.post(`${nodeUrl}/se/grid/node/drain`, 'node', MUST_CALL_MS);
    if (status === 200) return { outcome: 'accepted', detail: 'node answered 200' };
    if (status === 401) {
      return {
        outcome: 'refused',
        detail: 'node answered 401: SE_REGISTRATION_SECRET does not match the Grid',
      };
    }
    return { outcome: 'refused', detail: `node answered ${status}` };
  } catch (error) {
    if (error instanceof HttpError) return { outcome: 'unreachable', detail: error.message };
    throw error;
  }
}
