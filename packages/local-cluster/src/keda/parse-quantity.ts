/** A Kubernetes quantity as KEDA writes metric values: plain (`3`), milli (`1500m`) or `k`. */
export function parseQuantity(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|k)?$/.exec(raw);
  if (!match) throw new Error(`unexpected quantity ${raw}`);
  const n = Number(match[1]);
  return match[2] === 'm' ? n / 1000 : match[2] === 'k' ? n * 1000 : n;
}
