import type { DrainAnswer } from './drain-answer.ts';
import type { GridHttp } from './grid-http.ts';
import { HttpError } from './http-error.ts';
import { MUST_CALL_MS } from './must-call-ms.ts';

/**
 * POST {hub}/se/grid/distributor/node/{id}/drain: the distributor marks the node DRAINING in its
 * model at once (so it places no new session there) and forwards the drain to the node. It answers
 * 200 either way; the JSON `value` says whether it worked.
 */
export async function postHubDrain(http: GridHttp, gridUrl: string, nodeId: string): Promise<DrainAnswer> {
  try {
    const { status, body } = await http.post(
      `${gridUrl}/se/grid/distributor/node/${encodeURIComponent(nodeId)}/drain`,
      'hub',
      MUST_CALL_MS,
    );
    if (status === 401) {
      return {
        outcome: 'refused',
        detail:
          'hub answered 401: SE_REGISTRATION_SECRET does not match the Grid, or SE_ROUTER_USERNAME/PASSWORD are wrong',
      };
    }
    if (status !== 200) return { outcome: 'refused', detail: `hub answered ${status}` };
    const value = _value(body);
    if (value === true) return { outcome: 'accepted', detail: 'hub answered value true' };
    return {
      outcome: 'refused',
      detail: `hub answered value ${JSON.stringify(value)} (does it know this node?)`,
    };
  } catch (error) {
    if (error instanceof HttpError) return { outcome: 'unreachable', detail: error.message };
    throw error;
  }
}

// --- internal ---

function _value(body: string): unknown {
  try {
    return (JSON.parse(body) as { value?: unknown })?.value;
  } catch {
    return undefined;
  }
}
