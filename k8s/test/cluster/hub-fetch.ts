import type { LocalCluster } from '@scrapegrid/local-cluster';
import type { K8sObject } from '../k8s-object.ts';
import { findObject } from '../policies/find-object.ts';
import { clusterIp } from './node-pods.ts';

/**
 * fetch() for a hub URL that may carry the router's basic-auth credentials
 * (`http://user:password@host:4444`, as the overlays hand it to our programs): fetch refuses a URL
 * with credentials, so they go into the Authorization header, as Selenium's clients send them.
 */
export function hubFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const parsed = new URL(url);
  if (parsed.username === '') return fetch(url, init);
  const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  const headers = new Headers(init.headers);
  headers.set('authorization', `Basic ${Buffer.from(pair).toString('base64')}`);
  return fetch(parsed, { ...init, headers });
}

/**
 * The shared hub through its Service's cluster IP, with the router credentials of the overlay's
 * Secret `selenium-grid-router` in the URL (the hub answers 401 without them).
 */
export async function sharedHubUrl(
  cluster: LocalCluster,
  objects: readonly K8sObject[],
  namespace: string,
): Promise<string> {
  const { SE_ROUTER_USERNAME: user, SE_ROUTER_PASSWORD: password } = findObject(
    objects,
    'Secret',
    'selenium-grid-router',
  ).stringData;
  const ip = await clusterIp(cluster, namespace, 'selenium-hub');
  return `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${ip}:4444`;
}
