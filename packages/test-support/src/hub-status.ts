export interface HubNodeStatus {
  id: string;
  uri: string;
  availability: 'UP' | 'DRAINING' | 'DOWN';
  maxSessions: number;
  slots: Array<{ session: unknown | null }>;
}

export interface HubStatus {
  ready: boolean;
  message: string;
  nodes: HubNodeStatus[];
}

/** GET {hub}/status, with a short timeout: the hub's own view of its nodes. */
export async function hubStatus(hubUrl: string, timeoutMs = 3_000): Promise<HubStatus> {
  const response = await fetch(`${hubUrl}/status`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${hubUrl}/status answered ${response.status}`);
  const body = (await response.json()) as { value: HubStatus };
  return { ...body.value, nodes: body.value.nodes ?? [] };
}
