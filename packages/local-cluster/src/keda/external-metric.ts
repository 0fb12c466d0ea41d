import type { KedaCluster } from './install-keda.ts';
import { parseQuantity } from './parse-quantity.ts';

export interface ExternalMetric {
  /** The metric's name in the HPA KEDA made (e.g. `s0-selenium-grid-chrome-Linux`). */
  readonly name: string;
  /** Its value as the HPA controller reads it through the aggregation layer. */
  readonly value: number;
}

/**
 * Reads a ScaledObject's first metric the way the HPA controller does: the metric name from the
 * HPA KEDA created (`keda-hpa-<name>`), the value from external.metrics.k8s.io served by KEDA's
 * metrics API server. Each read makes KEDA query its scaler.
 */
export async function readExternalMetric(
  cluster: Pick<KedaCluster, 'kubectl'>,
  namespace: string,
  scaledObject: string,
): Promise<ExternalMetric> {
  const name = (
    await cluster.kubectl([
      '-n',
      namespace,
      'get',
      'hpa',
      `keda-hpa-${scaledObject}`,
      '-o',
      'jsonpath={.spec.metrics[0].external.metric.name}',
    ])
  ).trim();
  if (name === '') throw new Error(`HPA keda-hpa-${scaledObject} has no external metric`);
  const selector = encodeURIComponent(`scaledobject.keda.sh/name=${scaledObject}`);
  const body = JSON.parse(
    await cluster.kubectl([
      'get',
      '--raw',
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/${namespace}/${name}?labelSelector=${selector}`,
    ]),
  ) as { items: Array<{ value: string }> };
  const raw = body.items[0]?.value;
  if (raw === undefined) throw new Error(`external metric ${name} has no value`);
  return { name, value: parseQuantity(raw) };
}
