import type { BrowserBinaries } from './browser-binaries.ts';

export interface CommandLine {
  command: string;
  args: string[];
}

export interface EventBusPorts {
  publish: number;
  subscribe: number;
}

export interface HubCommandOptions {
  port: number;
  /** Address the hub and its event bus bind to (default 127.0.0.1). */
  host?: string;
  eventBus: EventBusPorts;
  registrationSecret?: string;
  extraArgs?: readonly string[];
}

export interface NodeCommandOptions {
  port: number;
  /** Address the node binds to and registers with (default 127.0.0.1). */
  host?: string;
  /** Address of the hub's event bus (default 127.0.0.1). */
  hubHost?: string;
  hubUrl: string;
  eventBus: EventBusPorts;
  /** A node.toml, e.g. from nodeToml(). */
  configPath: string;
  sessionTimeoutSeconds?: number;
  registrationSecret?: string;
  extraArgs?: readonly string[];
}

/** `java -jar selenium-server.jar hub …` on 127.0.0.1 (or `host`) with its event bus on the given ports. */
export function hubCommandLine(bin: BrowserBinaries, options: HubCommandOptions): CommandLine {
  return {
    command: bin.java,
    args: [
      ...JVM_FLAGS,
      '-jar',
      bin.seleniumJar,
      'hub',
      '--host',
      options.host ?? '127.0.0.1',
      '--port',
      String(options.port),
      ..._eventBusArgs(options.eventBus, options.host),
      '--bind-bus',
      'true',
      ..._secretArgs(options.registrationSecret),
      ...(options.extraArgs ?? []),
    ],
  };
}

/** `java -jar selenium-server.jar node …` joining the hub's event bus, registering every second. */
export function nodeCommandLine(bin: BrowserBinaries, options: NodeCommandOptions): CommandLine {
  return {
    command: bin.java,
    args: [
      ...JVM_FLAGS,
      '-jar',
      bin.seleniumJar,
      'node',
      '--host',
      options.host ?? '127.0.0.1',
      '--port',
      String(options.port),
      ..._eventBusArgs(options.eventBus, options.hubHost),
      '--grid-url',
      options.hubUrl,
      '--config',
      options.configPath,
      '--heartbeat-period',
      '2',
      // Register every second (the default is 10 s) so a node joins the hub quickly.
      '--register-cycle',
      '1',
      ...(options.sessionTimeoutSeconds ? ['--session-timeout', String(options.sessionTimeoutSeconds)] : []),
      ..._secretArgs(options.registrationSecret),
      ...(options.extraArgs ?? []),
    ],
  };
}

/**
 * The node configuration verified on this kind of machine (shared/docs/selenium-grid.md).
 * `stereotypeExtra` adds to (or overrides) the slot stereotype, e.g. a `browserVersion` as
 * docker-selenium nodes advertise it.
 */
export function nodeToml(
  chromium: string,
  chromedriver: string,
  maxSessions: number,
  stereotypeExtra: Record<string, unknown> = {},
): string {
  const stereotype = JSON.stringify({
    browserName: 'chrome',
    platformName: 'linux',
    ...stereotypeExtra,
    'goog:chromeOptions': {
      binary: chromium,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  });
  return [
    '[node]',
    'detect-drivers = false',
    `max-sessions = ${maxSessions}`,
    // The default caps sessions at the number of cores; tests ask for more on a two-core machine.
    'override-max-sessions = true',
    '[[node.driver-configuration]]',
    'display-name = "chrome"',
    `webdriver-executable = "${chromedriver}"`,
    `max-sessions = ${maxSessions}`,
    `stereotype = '${stereotype}'`,
    '',
  ].join('\n');
}

// --- internal ---

// A small heap and the C1 compiler only: the Grid starts faster and two JVMs fit two cores.
const JVM_FLAGS = ['-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];

function _eventBusArgs({ publish, subscribe }: EventBusPorts, host = '127.0.0.1'): string[] {
  return ['--publish-events', `tcp://${host}:${publish}`, '--subscribe-events', `tcp://${host}:${subscribe}`];
}

function _secretArgs(secret: string | undefined): string[] {
  return secret ? ['--registration-secret', secret] : [];
}
