import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GiveUpWaiting,
  type ProcessExit,
  spawnTracked,
  type TrackedProcess,
  waitUntil,
} from '@scrapegrid/process-group';
import { createGridClient, type GridStatus } from '@scrapegrid/selenium-grid';
import { browserBinaries } from './browser-binaries.ts';
import { freePort } from './free-port.ts';
import { hubCommandLine, nodeCommandLine, nodeToml } from './grid-command-lines.ts';

export interface NodeOptions {
  /** Concurrent sessions on the node (default 2). */
  maxSessions?: number;
  /** Idle session timeout in seconds (Grid default 300). */
  sessionTimeoutSeconds?: number;
  /** Extra command-line arguments for `java -jar selenium-server.jar node`. */
  extraArgs?: string[];
  /** Added to the node's slot stereotype (e.g. `{ browserVersion: '156.0' }`). */
  stereotype?: Record<string, unknown>;
}

export interface GridOptions {
  /** Number of nodes started with the hub (default 1). */
  nodes?: number;
  node?: NodeOptions;
  registrationSecret?: string;
  /** Extra command-line arguments for `java -jar selenium-server.jar hub`. */
  hubArgs?: string[];
  /**
   * Address the hub, its event bus and the nodes bind to (default 127.0.0.1). A local cluster's
   * bridge address lets pods (KEDA, grid-exporter) reach this Grid; it is no wider than that.
   */
  host?: string;
  /** Deadline for the hub to come up and every node to register (default 120 s). */
  startupTimeoutMs?: number;
}

export interface GridNode {
  readonly url: string;
  readonly port: number;
  /** The node's id as the hub knows it. */
  readonly id: string;
  readonly process: TrackedProcess;
  /** A crash: SIGKILL to the node's whole process group (JVM, chromedriver, Chromium). */
  kill(): Promise<ProcessExit>;
  /** What the kubelet does after preStop: SIGTERM to the node's main process only. */
  terminate(): void;
}

export interface NodeExitReport {
  nodeUrl: string;
  exit: ProcessExit;
  /** True when the node exited before Grid.stop() was called. */
  beforeStop: boolean;
}

export interface Grid {
  readonly hubUrl: string;
  readonly graphqlUrl: string;
  readonly registrationSecret: string;
  readonly hub: TrackedProcess;
  readonly nodes: readonly GridNode[];
  /** Every node exit seen so far, in order: a test that kills a node finds it here. */
  readonly nodeExits: readonly NodeExitReport[];
  /** The hub's GET /status, read by the one Grid client. */
  status(): Promise<GridStatus>;
  addNode(options?: NodeOptions): Promise<GridNode>;
  /** Stops every node and the hub; safe to call more than once. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a real Selenium Grid 4 (hub + nodes) on free loopback ports with Debian's Chromium.
 * Resolves when the hub lists every node as UP. On any failure everything started is stopped.
 */
export async function startGrid(options: GridOptions = {}): Promise<Grid> {
  const bin = browserBinaries();
  const workDir = await mkdtemp(join(tmpdir(), 'scrapegrid-grid-'));
  const [hubPort, publishPort, subscribePort] = [await freePort(), await freePort(), await freePort()];
  const secret = options.registrationSecret ?? '';
  const startupTimeoutMs = options.startupTimeoutMs ?? 120_000;
  const host = options.host ?? '127.0.0.1';
  const hubUrl = `http://${host}:${hubPort}`;
  const hubClient = createGridClient({ url: hubUrl, registrationSecret: secret });

  const nodes: GridNode[] = [];
  const nodeExits: NodeExitReport[] = [];
  let stopping = false;

  const eventBusPorts = { publish: publishPort, subscribe: subscribePort };
  const hubLine = hubCommandLine(bin, {
    port: hubPort,
    host,
    eventBus: eventBusPorts,
    registrationSecret: secret,
    extraArgs: options.hubArgs,
  });
  const hub = spawnTracked('selenium-hub', hubLine.command, hubLine.args, { cwd: workDir });

  const addNode = async (nodeOptions: NodeOptions = {}): Promise<GridNode> => {
    const merged = { ...options.node, ...nodeOptions };
    const port = await freePort();
    const url = `http://${host}:${port}`;
    const configPath = join(workDir, `node-${port}.toml`);
    await writeFile(
      configPath,
      nodeToml(bin.chromium, bin.chromedriver, merged.maxSessions ?? 2, merged.stereotype),
    );
    const nodeLine = nodeCommandLine(bin, {
      port,
      host,
      hubHost: host,
      hubUrl,
      eventBus: eventBusPorts,
      configPath,
      sessionTimeoutSeconds: merged.sessionTimeoutSeconds,
      registrationSecret: secret,
      extraArgs: merged.extraArgs,
    });
    const proc = spawnTracked(`selenium-node-${port}`, nodeLine.command, nodeLine.args, { cwd: workDir });
    proc.exited.then((exit) => nodeExits.push({ nodeUrl: url, exit, beforeStop: !stopping }));
    try {
      const id = await waitUntil(
        async () => {
          if (!proc.isRunning())
            throw new GiveUpWaiting(`node exited during start-up:\n${proc.output().slice(-2000)}`);
          const status = await hubClient.status();
          return status.nodes.find((n) => n.uri === url && n.availability === 'UP')?.id;
        },
        {
          what: `node ${url} to register with the hub ${hubUrl}`,
          timeoutMs: startupTimeoutMs,
          intervalMs: 250,
        },
      );
      const node: GridNode = {
        url,
        port,
        id,
        process: proc,
        kill: async () => {
          proc.signalGroup('SIGKILL');
          return proc.exited;
        },
        terminate: () => {
          proc.child.kill('SIGTERM');
        },
      };
      nodes.push(node);
      return node;
    } catch (error) {
      await proc.stop(1_000);
      throw error;
    }
  };

  const stop = async () => {
    stopping = true;
    await Promise.all(nodes.map((n) => n.process.stop(5_000)));
    await hub.stop(5_000);
    await hubClient.close();
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    await waitUntil(
      async () => {
        if (!hub.isRunning())
          throw new GiveUpWaiting(`hub exited during start-up:\n${hub.output().slice(-2000)}`);
        // Any Grid status will do (it throws until the hub answers one); `ready` needs a node.
        await hubClient.status();
        return true;
      },
      { what: `the hub at ${hubUrl} to answer /status`, timeoutMs: startupTimeoutMs, intervalMs: 250 },
    );
    // Nodes start in parallel: each JVM takes seconds, and they do not depend on each other.
    await Promise.all(Array.from({ length: options.nodes ?? 1 }, () => addNode()));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    hubUrl,
    graphqlUrl: `${hubUrl}/graphql`,
    registrationSecret: secret,
    hub,
    nodes,
    nodeExits,
    status: () => hubClient.status(),
    addNode,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
