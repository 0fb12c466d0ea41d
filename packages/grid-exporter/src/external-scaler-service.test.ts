import { fileURLToPath } from 'node:url';
import { fromJSON, loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { describe, expect, test } from 'vitest';
import {
  EXTERNAL_SCALER_DESCRIPTOR,
  EXTERNAL_SCALER_SERVICE,
  PROTO_OPTIONS,
} from './external-scaler-service.ts';

const PROTO = fileURLToPath(new URL('../proto/externalscaler.proto', import.meta.url));

describe('the bundled descriptor is the shipped .proto', () => {
  const fromProto = loadSync(PROTO, PROTO_OPTIONS);
  const fromDescriptor = fromJSON(
    EXTERNAL_SCALER_DESCRIPTOR as Parameters<typeof fromJSON>[0],
    PROTO_OPTIONS,
  );

  test('same services, methods and message descriptors', () => {
    expect(_shape(fromDescriptor)).toEqual(_shape(fromProto));
    expect(Object.keys(fromProto).sort()).toEqual([
      'externalscaler.ExternalScaler',
      'externalscaler.GetMetricSpecResponse',
      'externalscaler.GetMetricsRequest',
      'externalscaler.GetMetricsResponse',
      'externalscaler.IsActiveResponse',
      'externalscaler.MetricSpec',
      'externalscaler.MetricValue',
      'externalscaler.ScaledObjectRef',
    ]);
  });

  test('the service the server registers has the five method paths', () => {
    expect(Object.values(EXTERNAL_SCALER_SERVICE).map((m) => [m.path, m.responseStream])).toEqual([
      ['/externalscaler.ExternalScaler/IsActive', false],
      ['/externalscaler.ExternalScaler/StreamIsActive', true],
      ['/externalscaler.ExternalScaler/GetMetricSpec', false],
      ['/externalscaler.ExternalScaler/GetMetrics', false],
      ['/externalscaler.ExternalScaler/StreamMetricSpec', true],
    ]);
  });

  test('bytes written by one decode the same with the other', () => {
    const request = {
      scaledObjectRef: { name: 'n', namespace: 'ns', scalerMetadata: { pool: 'chrome' } },
      metricName: 'selenium-grid-chrome-desired-nodes',
    };
    const a = fromProto['externalscaler.GetMetricsRequest'] as { serialize(v: unknown): Buffer };
    const b = fromDescriptor['externalscaler.GetMetricsRequest'] as { deserialize(b: Buffer): unknown };
    expect(b.deserialize(a.serialize(request))).toEqual(request);
  });
});

// --- internal ---

// Everything but the file descriptors (they name the source file) and the (de)serializer functions.
function _shape(definition: PackageDefinition): unknown {
  return Object.fromEntries(
    Object.entries(definition).map(([name, value]) => {
      if ('format' in value) return [name, value.type];
      return [
        name,
        Object.fromEntries(
          Object.entries(value).map(([method, m]) => [
            method,
            {
              path: m.path,
              originalName: m.originalName,
              requestStream: m.requestStream,
              responseStream: m.responseStream,
              requestType: m.requestType.type,
              responseType: m.responseType.type,
            },
          ]),
        ),
      ];
    }),
  );
}
