import type { PodLifetime } from './pod-lifetime.ts';

/**
 * Whether a session's Grid node is this pod: the node URI's host is the pod's IP or its name
 * (the caller still checks the time, since an IP can be given to a later pod).
 */
export function isNodeOfPod(nodeUri: string, pod: PodLifetime): boolean {
  const host = _host(nodeUri);
  return host === pod.name || (pod.ip !== undefined && host === pod.ip);
}

// --- internal ---

function _host(uri: string): string {
  try {
    return new URL(uri).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return uri;
  }
}
