import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON, type Options } from '@grpc/proto-loader';

/** proto-loader options shared by the server and the tests' client (int64 as JS numbers). */
export const PROTO_OPTIONS: Options = Object.freeze({
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});

/** The descriptor (protobuf.js JSON), exported for the test that compares it with the .proto. */
export const EXTERNAL_SCALER_DESCRIPTOR: object = {
  nested: {
    externalscaler: {
      options: { go_package: '.;externalscaler' },
      nested: {
        ExternalScaler: {
          methods: {
            IsActive: { requestType: 'ScaledObjectRef', responseType: 'IsActiveResponse' },
            StreamIsActive: {
              requestType: 'ScaledObjectRef',
              responseType: 'IsActiveResponse',
              responseStream: true,
            },
            GetMetricSpec: { requestType: 'ScaledObjectRef', responseType: 'GetMetricSpecResponse' },
            GetMetrics: { requestType: 'GetMetricsRequest', responseType: 'GetMetricsResponse' },
            StreamMetricSpec: {
              requestType: 'ScaledObjectRef',
              responseType: 'GetMetricSpecResponse',
              responseStream: true,
            },
          },
        },
        ScaledObjectRef: {
          fields: {
            name: { type: 'string', id: 1 },
            namespace: { type: 'string', id: 2 },
            scalerMetadata: { keyType: 'string', type: 'string', id: 3 },
          },
        },
        IsActiveResponse: { fields: { result: { type: 'bool', id: 1 } } },
        GetMetricSpecResponse: { fields: { metricSpecs: { rule: 'repeated', type: 'MetricSpec', id: 1 } } },
        MetricSpec: {
          fields: {
            metricName: { type: 'string', id: 1 },
            targetSize: { type: 'int64', id: 2 },
            targetSizeFloat: { type: 'double', id: 3 },
          },
        },
        GetMetricsRequest: {
          fields: {
            scaledObjectRef: { type: 'ScaledObjectRef', id: 1 },
            metricName: { type: 'string', id: 2 },
          },
        },
        GetMetricsResponse: { fields: { metricValues: { rule: 'repeated', type: 'MetricValue', id: 1 } } },
        MetricValue: {
          fields: {
            metricName: { type: 'string', id: 1 },
            metricValue: { type: 'int64', id: 2 },
            metricValueFloat: { type: 'double', id: 3 },
          },
        },
      },
    },
  },
};

/**
 * KEDA's ExternalScaler gRPC service (package externalscaler), the contract in
 * ../proto/externalscaler.proto. The bundle (dist/main.js) is all the image ships, so the contract
 * is carried here as a protobuf JSON descriptor instead of a file read at run time; the test proves
 * it defines the same service and messages as the .proto.
 */
export const EXTERNAL_SCALER_SERVICE: ServiceDefinition = _service();

// --- internal ---

function _service(): ServiceDefinition {
  const loaded = loadPackageDefinition(
    fromJSON(EXTERNAL_SCALER_DESCRIPTOR as Parameters<typeof fromJSON>[0], PROTO_OPTIONS),
  );
  const pkg = loaded.externalscaler as unknown as { ExternalScaler: { service: ServiceDefinition } };
  return pkg.ExternalScaler.service;
}
