/**
 * The metric a pool's external-push ScaledObject reads (KEDA prefixes it with `s<trigger>-`);
 * with target 1 (AverageValue), replicas = its value.
 */
export function poolMetricName(pool: string): string {
  return `selenium-grid-${pool}-desired-nodes`;
}
