import { readFile } from 'node:fs/promises';
import { request } from 'node:https';

export interface PatchResponse {
  status: number;
  /** The Status message of a refusal (or the object's JSON when admitted). */
  body: string;
}

/**
 * One PATCH against the local cluster's API server as the holder of `token`, exactly what
 * grid-exporter's controller sends (no GET before it, as `kubectl patch` would make): a merge
 * patch or a JSON patch, optionally `dryRun=All` (admission runs, nothing is stored). Never
 * rejects on a status.
 */
export async function apiPatchWithToken(
  cluster: { apiserverUrl: string; caCert: string },
  token: string,
  path: string,
  patch: { type: 'merge' | 'json'; body: unknown; dryRun: boolean },
): Promise<PatchResponse> {
  const ca = await readFile(cluster.caCert);
  const url = `${cluster.apiserverUrl}${path}${patch.dryRun ? '?dryRun=All' : ''}`;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PATCH',
        ca,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type':
            patch.type === 'merge' ? 'application/merge-patch+json' : 'application/json-patch+json',
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`PATCH ${path} timed out`)));
    req.end(JSON.stringify(patch.body));
  });
}
