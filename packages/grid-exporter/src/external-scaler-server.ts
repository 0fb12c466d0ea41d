import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceError,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { EXTERNAL_SCALER_SERVICE } from './external-scaler-service.ts';
import type { PoolActivity, PoolReading } from './pool-activity.ts';
import { poolMetricName } from './pool-metric-name.ts';

export interface ExternalScalerServer {
  readonly port: number;
  /** Ends every open stream with status OK (KEDA reconnects), then stops; bounded by `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/**
 * KEDA's external-push scaler contract (proto/externalscaler.proto) over the exporter's snapshots.
 * A ScaledObject names its pool in the trigger metadata (`pool: chrome`), which KEDA passes as
 * scalerMetadata. GetMetrics gives the pool's desired nodes, the number /pools/<name> serves;
 * IsActive is desired > 0, polled afresh before it says false (PoolActivity.confirmedReading);
 * StreamIsActive pushes the state when the stream opens and on each change. Only an inactive
 * IsActive calls the Grid; the rest read the last snapshot.
 */
export async function startExternalScalerServer(options: {
  host: string;
  port: number;
  activity: PoolActivity;
  poolNames: readonly string[];
  logger: Logger;
}): Promise<ExternalScalerServer> {
  const { activity, logger } = options;
  const known = new Set(options.poolNames);
  const streams = new Set<{ call: ServerWritableStream<_Ref, _IsActive>; stop: () => void }>();

  const poolOf = (ref: _Ref | undefined): string => {
    const pool = ref?.scalerMetadata?.pool;
    const names = [...known].join(', ');
    if (pool === undefined || pool === '') {
      throw _error(
        status.INVALID_ARGUMENT,
        `the trigger's metadata names no pool (set pool: to one of ${names})`,
      );
    }
    if (!known.has(pool)) throw _error(status.NOT_FOUND, `no pool named "${pool}"; the pools are ${names}`);
    return pool;
  };
  const desiredIn = (reading: PoolReading): number => {
    if (!reading.ok) throw _error(status.UNAVAILABLE, reading.reason);
    return reading.desiredNodes;
  };
  const desiredOf = (pool: string): number => desiredIn(activity.reading(pool));

  const server = new Server();
  server.addService(EXTERNAL_SCALER_SERVICE, {
    IsActive: _unary<_Ref, _IsActive>(async (ref) => ({
      result: desiredIn(await activity.confirmedReading(poolOf(ref))) > 0,
    })),
    GetMetricSpec: _unary<_Ref, unknown>((ref) => ({
      metricSpecs: [{ metricName: poolMetricName(poolOf(ref)), targetSize: 1, targetSizeFloat: 1 }],
    })),
    GetMetrics: _unary<_MetricsRequest, unknown>((request) => {
      const pool = poolOf(request.scaledObjectRef);
      const metricName = poolMetricName(pool);
      if (request.metricName !== metricName) {
        throw _error(
          status.NOT_FOUND,
          `pool "${pool}" serves the metric ${metricName}, not "${request.metricName}"`,
        );
      }
      const value = desiredOf(pool);
      return { metricValues: [{ metricName, metricValue: value, metricValueFloat: value }] };
    }),
    StreamIsActive: (call: ServerWritableStream<_Ref, _IsActive>) => {
      let pool: string;
      try {
        pool = poolOf(call.request);
      } catch (error) {
        call.emit('error', error);
        return;
      }
      const entry = {
        call,
        stop: activity.watch(pool, (active) => {
          call.write({ result: active });
          logger.debug({ pool, active }, 'pushed activity');
        }),
      };
      streams.add(entry);
      logger.info({ pool, peer: call.getPeer(), scaledObject: call.request.name }, 'StreamIsActive opened');
      call.on('cancelled', () => {
        entry.stop();
        streams.delete(entry);
        logger.info({ pool, scaledObject: call.request.name }, 'StreamIsActive closed by the client');
      });
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });

  return {
    port,
    close: async (graceMs = 5_000) => {
      for (const entry of streams) {
        entry.stop();
        entry.call.end();
      }
      streams.clear();
      const stopped = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      if ((await Promise.race([stopped, late])) === 'late') server.forceShutdown();
      clearTimeout(timer);
    },
  };
}

// --- internal ---

interface _Ref {
  name?: string;
  namespace?: string;
  scalerMetadata?: Record<string, string>;
}

interface _IsActive {
  result: boolean;
}

interface _MetricsRequest {
  scaledObjectRef?: _Ref;
  metricName?: string;
}

function _error(code: status, details: string): Partial<ServiceError> {
  return Object.assign(new Error(details), { code, details });
}

function _unary<Req, Res>(answer: (request: Req) => Res | Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    // Inside an async function a synchronous throw and a rejection both become the call's status.
    (async () => answer(call.request))().then(
      (response) => callback(null, response),
      (error) => callback(error as Partial<ServiceError>),
    );
  };
}
