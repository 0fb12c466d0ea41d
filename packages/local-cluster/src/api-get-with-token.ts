import { readFile } from 'node:fs/promises';
import { request } from 'node:https';

export interface ApiResponse {
  status: number;
  body: string;
}

/**
 * A GET against the local cluster's API server as the holder of `token` (a ServiceAccount token):
 * what that identity may do, decided by the real authenticator and RBAC. Never rejects on a status.
 */
export async function apiGetWithToken(
  cluster: { apiserverUrl: string; caCert: string },
  token: string,
  path: string,
): Promise<ApiResponse> {
  const ca = await readFile(cluster.caCert);
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.apiserverUrl}${path}`,
      { ca, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}
