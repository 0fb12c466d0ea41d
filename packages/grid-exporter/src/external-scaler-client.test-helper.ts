import { fileURLToPath } from 'node:url';
import {
  type Client,
  credentials,
  loadPackageDefinition,
  type ServiceError,
  type status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { waitUntil } from '@scrapegrid/test-support';
import { PROTO_OPTIONS } from './external-scaler-service.ts';

/**
 * Test helper: a real @grpc/grpc-js client of KEDA's ExternalScaler, loaded from the shipped .proto
 * (not from the server's bundled descriptor), so the tests speak the contract as KEDA would.
 */
export interface ExternalScalerClient {
  isActive(pool: string | undefined): Promise<boolean>;
  getMetricSpec(
    pool: string,
  ): Promise<Array<{ metricName: string; targetSize: number; targetSizeFloat: number }>>;
  getMetrics(
    pool: string,
    metricName?: string,
  ): Promise<Array<{ metricName: string; metricValue: number; metricValueFloat: number }>>;
  /** Opens StreamIsActive; `messages` fills as pushes arrive, each with its arrival time. */
  streamIsActive(pool: string | undefined): ActivityStream;
  /** Opens StreamMetricSpec; resolves with its first message, rejects with its failure. */
  streamMetricSpec(pool: string): Promise<unknown>;
  /** A unary or stream call's failure status, e.g. for an unknown pool. */
  failure(call: () => Promise<unknown>): Promise<{ code: status; details: string }>;
  close(): void;
}

export interface ActivityStream {
  readonly messages: Array<{ result: boolean; at: number }>;
  /** Resolves with the final status when the stream ends (OK on a clean end). */
  readonly ended: Promise<{ code: status; details: string }>;
  /** Waits until there are `count` messages (bounded); returns them. */
  next(count: number, timeoutMs?: number): Promise<Array<{ result: boolean; at: number }>>;
  cancel(): void;
}

export const EXTERNAL_SCALER_PROTO = fileURLToPath(new URL('../proto/externalscaler.proto', import.meta.url));

export function externalScalerClient(address: string): ExternalScalerClient {
  const loaded = loadPackageDefinition(loadSync(EXTERNAL_SCALER_PROTO, PROTO_OPTIONS)) as unknown as {
    externalscaler: {
      ExternalScaler: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => _Stub;
    };
  };
  const stub = new loaded.externalscaler.ExternalScaler(address, credentials.createInsecure());
  const ref = (pool: string | undefined) => ({
    name: 'selenium-node-chrome',
    namespace: 'test',
    scalerMetadata: pool === undefined ? {} : { scalerAddress: address, pool },
  });
  const unary = <T>(method: keyof _Stub, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + 10_000);
      (stub[method] as _Unary)(request, { deadline }, (error, response) =>
        error ? reject(error) : resolve(response as T),
      );
    });

  return {
    isActive: async (pool) => (await unary<{ result: boolean }>('IsActive', ref(pool))).result,
    getMetricSpec: async (pool) =>
      (await unary<{ metricSpecs: never[] }>('GetMetricSpec', ref(pool))).metricSpecs,
    getMetrics: async (pool, metricName = `selenium-grid-${pool}-desired-nodes`) =>
      (await unary<{ metricValues: never[] }>('GetMetrics', { scaledObjectRef: ref(pool), metricName }))
        .metricValues,
    streamIsActive: (pool) => {
      const call = stub.StreamIsActive(ref(pool));
      const messages: Array<{ result: boolean; at: number }> = [];
      call.on('data', (m: { result: boolean }) => messages.push({ result: m.result, at: performance.now() }));
      const ended = new Promise<{ code: status; details: string }>((resolve) => {
        call.on('status', (s: { code: status; details: string }) =>
          resolve({ code: s.code, details: s.details }),
        );
      });
      call.on('error', () => {}); // the status above carries it
      return {
        messages,
        ended,
        next: (count, timeoutMs = 10_000) =>
          waitUntil(() => (messages.length >= count ? messages.slice(0, count) : undefined), {
            what: `${count} StreamIsActive message(s) (have ${JSON.stringify(messages.map((m) => m.result))})`,
            timeoutMs,
            intervalMs: 5,
          }),
        cancel: () => call.cancel(),
      };
    },
    streamMetricSpec: (pool) =>
      new Promise((resolve, reject) => {
        const call = stub.StreamMetricSpec(ref(pool));
        call.on('data', (message: unknown) => {
          resolve(message);
          call.cancel();
        });
        call.on('error', reject);
      }),
    failure: async (call) => {
      try {
        await call();
      } catch (error) {
        const e = error as ServiceError;
        return { code: e.code, details: e.details };
      }
      throw new Error('the call succeeded');
    },
    close: () => stub.close(),
  };
}

// --- internal ---

type _Unary = (
  request: unknown,
  options: { deadline: Date },
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;

interface _Stub extends Client {
  IsActive: _Unary;
  GetMetricSpec: _Unary;
  GetMetrics: _Unary;
  StreamIsActive(request: unknown): NodeJS.EventEmitter & { cancel(): void };
  StreamMetricSpec(request: unknown): NodeJS.EventEmitter & { cancel(): void };
}
