import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createLogger } from '@scrapegrid/program-kit';
import { describe, expect, test } from 'vitest';
import { parseConfig, REDACT } from './parse-config.ts';

describe('defaults', () => {
  test('no flags, no env: the local node on 5555, no hub, 25 s deadline, mirror to /proc/1/fd/1', () => {
    const config = parseConfig({}, {});
    expect(config).toEqual({
      nodeUrl: 'http://127.0.0.1:5555',
      nodeAuth: undefined,
      gridUrl: undefined,
      deadlineMs: 25_000,
      pollMs: 200,
      httpTimeoutMs: 3_000,
      registrationSecret: '',
      hubAuth: undefined,
      ca: undefined,
      insecure: false,
      logMirror: '/proc/1/fd/1',
      logFormat: 'json',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe("docker-selenium's environment names", () => {
  test.each([
    [{ SE_NODE_PORT: '6666' }, 'nodeUrl', 'http://127.0.0.1:6666'],
    [{ SE_NODE_PORT: '6666', SE_SERVER_PROTOCOL: 'https' }, 'nodeUrl', 'https://127.0.0.1:6666'],
    [{ SE_HUB_HOST: 'selenium-hub', SE_HUB_PORT: '4444' }, 'gridUrl', 'http://selenium-hub:4444'],
    [
      { SE_ROUTER_HOST: 'router', SE_ROUTER_PORT: '4444', SE_SUB_PATH: '/selenium' },
      'gridUrl',
      'http://router:4444/selenium',
    ],
    [{ SE_HUB_HOST: 'hub', SE_HUB_PORT: '4444', SE_SUB_PATH: '/' }, 'gridUrl', 'http://hub:4444'],
    [{ SE_HUB_HOST: 'hub', SE_HUB_PORT: '4444', SE_SUB_PATH: 'grid/' }, 'gridUrl', 'http://hub:4444/grid'],
    [{ SE_HUB_HOST: 'hub', SE_HUB_PORT: '4444', SE_SERVER_PROTOCOL: 'https' }, 'gridUrl', 'https://hub:4444'],
    [{ SE_NODE_GRID_URL: 'http://grid.example:4444/sub/' }, 'gridUrl', 'http://grid.example:4444/sub'],
    // Hub host and port win over SE_NODE_GRID_URL, as in docker-selenium's nodeGridUrl.sh.
    [
      { SE_HUB_HOST: 'hub', SE_HUB_PORT: '4444', SE_NODE_GRID_URL: 'http://other:1' },
      'gridUrl',
      'http://hub:4444',
    ],
    // A host without a port is not enough to make a URL.
    [{ SE_HUB_HOST: 'hub' }, 'gridUrl', undefined],
    [{ SE_REGISTRATION_SECRET: 's3cret' }, 'registrationSecret', 's3cret'],
  ])('%o sets %s', (env, key, expected) => {
    expect(parseConfig({}, env)[key as keyof ReturnType<typeof parseConfig>]).toEqual(expected);
  });

  test('the shipped placeholders are refused with SECRET_PLACEHOLDER, naming the variable; real values pass', () => {
    const placeholder = 'replace-me-with-a-long-random-string';
    expect(() =>
      parseConfig({}, { SE_ROUTER_USERNAME: 'scrapegrid', SE_ROUTER_PASSWORD: placeholder }),
    ).toThrow(
      expect.objectContaining({
        code: 'SECRET_PLACEHOLDER',
        message:
          'SE_ROUTER_PASSWORD is still the shipped placeholder; set it in the Secret selenium-grid-router (k8s/README.md, Security)',
      }),
    );
    expect(() => parseConfig({}, { SE_REGISTRATION_SECRET: placeholder })).toThrow(
      expect.objectContaining({
        code: 'SECRET_PLACEHOLDER',
        message:
          'SE_REGISTRATION_SECRET is still the shipped placeholder; set it in the Secret selenium-grid-registration (k8s/README.md, Security)',
      }),
    );
    const config = parseConfig(
      {},
      {
        SE_ROUTER_USERNAME: 'scrapegrid',
        SE_ROUTER_PASSWORD: 'r0uter-pw',
        SE_REGISTRATION_SECRET: 'reg-s3cret',
      },
    );
    expect(config.hubAuth).toEqual({ username: 'scrapegrid', password: 'r0uter-pw' });
    expect(config.registrationSecret).toBe('reg-s3cret');
  });

  test('SE_ROUTER_USERNAME and SE_ROUTER_PASSWORD become basic auth for the hub', () => {
    expect(parseConfig({}, { SE_ROUTER_USERNAME: 'admin', SE_ROUTER_PASSWORD: 'pw' }).hubAuth).toEqual({
      username: 'admin',
      password: 'pw',
    });
  });
});

describe('precedence: flags, then DRAIN_HOOK_*, then SE_*', () => {
  test.each([
    [
      { 'node-url': 'http://flag:1' },
      { DRAIN_HOOK_NODE_URL: 'http://env:1', SE_NODE_PORT: '2' },
      'nodeUrl',
      'http://flag:1',
    ],
    [{}, { DRAIN_HOOK_NODE_URL: 'http://env:1', SE_NODE_PORT: '2' }, 'nodeUrl', 'http://env:1'],
    [
      { 'grid-url': 'http://flag:4444' },
      { DRAIN_HOOK_GRID_URL: 'http://env:4444' },
      'gridUrl',
      'http://flag:4444',
    ],
    [
      {},
      { DRAIN_HOOK_GRID_URL: 'http://env:4444', SE_HUB_HOST: 'h', SE_HUB_PORT: '1' },
      'gridUrl',
      'http://env:4444',
    ],
    // An explicit empty grid URL turns the hub off even when SE_HUB_HOST says otherwise.
    [{ 'grid-url': '' }, { SE_HUB_HOST: 'h', SE_HUB_PORT: '1' }, 'gridUrl', undefined],
    [{ 'deadline-seconds': '3540' }, { DRAIN_HOOK_DEADLINE_SECONDS: '10' }, 'deadlineMs', 3_540_000],
    [{}, { DRAIN_HOOK_DEADLINE_SECONDS: '7.5' }, 'deadlineMs', 7_500],
    [{ 'poll-ms': '100' }, { DRAIN_HOOK_POLL_MS: '500' }, 'pollMs', 100],
    [{}, { DRAIN_HOOK_HTTP_TIMEOUT_MS: '1500' }, 'httpTimeoutMs', 1_500],
    [{ insecure: true }, {}, 'insecure', true],
    [{}, { DRAIN_HOOK_INSECURE: 'true' }, 'insecure', true],
    // The one spelling of booleans (program-kit): blank is the default, yes/no and 1/0 too.
    [{}, { DRAIN_HOOK_INSECURE: '' }, 'insecure', false],
    [{}, { DRAIN_HOOK_INSECURE: 'YES' }, 'insecure', true],
    [{ insecure: false }, { DRAIN_HOOK_INSECURE: 'true' }, 'insecure', false],
    // Blank numbers are the default, like every blank setting.
    [{}, { DRAIN_HOOK_POLL_MS: ' ' }, 'pollMs', 200],
    [{}, { DRAIN_HOOK_LOG_MIRROR: '' }, 'logMirror', undefined],
    [{ 'log-mirror': '/tmp/x.log' }, { DRAIN_HOOK_LOG_MIRROR: '' }, 'logMirror', '/tmp/x.log'],
  ])('flags %o with env %o: %s', (flags, env, key, expected) => {
    expect(parseConfig(flags, env)[key as keyof ReturnType<typeof parseConfig>]).toEqual(expected);
  });
});

describe('bad configuration names what to fix', () => {
  test.each([
    [{ 'deadline-seconds': '0' }, {}, /--deadline-seconds must be a number from 1 to 86400, got "0"/],
    [{}, { DRAIN_HOOK_DEADLINE_SECONDS: 'soon' }, /DRAIN_HOOK_DEADLINE_SECONDS must be a number/],
    [{ 'poll-ms': '5' }, {}, /--poll-ms must be a number from 20/],
    [{}, { SE_NODE_PORT: '70000' }, /SE_NODE_PORT must be an integer from 1 to 65535, got "70000"/],
    [{}, { SE_HUB_HOST: 'hub', SE_HUB_PORT: 'x' }, /SE_HUB_PORT must be an integer from 1 to 65535, got "x"/],
    [{}, { SE_SERVER_PROTOCOL: 'ftp' }, /SE_SERVER_PROTOCOL must be http or https/],
    [{ 'node-url': 'localhost:5555' }, {}, /--node-url must be an http or https URL, got "localhost:5555"/],
    [{ 'node-url': 'not a url' }, {}, /--node-url must be an http or https URL, got "not a url"/],
    // The value is named redacted, even when it cannot be parsed.
    [
      {},
      { DRAIN_HOOK_GRID_URL: 'http://user:s3cretPW@127.0.0.1:notaport/' },
      /^DRAIN_HOOK_GRID_URL must be an http or https URL, got "http:\/\/user:\*\*\*@127.0.0.1:notaport\/"$/,
    ],
    [{}, { DRAIN_HOOK_NODE_URL: 'ftp://user:s3cretPW@node/' }, /got "ftp:\/\/user:\*\*\*@node\/"$/],
    // A password on the command line is refused: ps shows it.
    [
      { 'grid-url': 'http://admin:pw@hub:4444' },
      {},
      /--grid-url "http:\/\/admin:\*\*\*@hub:4444" holds a password/,
    ],
    [
      {},
      {
        DRAIN_HOOK_GRID_URL: 'http://admin:pw@hub:4444',
        SE_ROUTER_USERNAME: 'other',
        SE_ROUTER_PASSWORD: 'x',
      },
      /credentials both in the hub URL and in SE_ROUTER_USERNAME\/SE_ROUTER_PASSWORD: keep one/,
    ],
    [{ 'grid-url': 'http://hub:4444/?x=1' }, {}, /takes no query/],
    [{}, { SE_ROUTER_PASSWORD: 'pw' }, /SE_ROUTER_USERNAME is not/],
    [{}, { DRAIN_HOOK_INSECURE: 'maybe' }, /DRAIN_HOOK_INSECURE must be true or false/],
    [
      {},
      { DRAIN_HOOK_LOG_FORMAT: 'xml' },
      /^DRAIN_HOOK_LOG_FORMAT must be one of json, pretty, auto, got "xml"$/,
    ],
    [{ 'ca-file': '/nonexistent/ca.pem' }, {}, /--ca-file: cannot read the CA file \/nonexistent\/ca.pem/],
    [{}, { DRAIN_HOOK_CA_FILE: '/nonexistent/ca.pem' }, /DRAIN_HOOK_CA_FILE: cannot read/],
  ])('flags %o with env %o', (flags, env, message) => {
    expect(() => parseConfig(flags, env)).toThrow(ConfigError);
    expect(() => parseConfig(flags, env)).toThrow(message);
  });

  test('a CA file and --insecure exclude each other', () => {
    const ca = _caFile();
    expect(() => parseConfig({ 'ca-file': ca, insecure: true }, {})).toThrow(/exclude each other/);
  });
});

describe("credentials in a URL (the Grid client's one policy: accepted as basic auth)", () => {
  test.each([
    [{}, { DRAIN_HOOK_GRID_URL: 'http://admin:pw@hub:4444/' }],
    [{}, { SE_NODE_GRID_URL: 'http://admin:pw@hub:4444' }],
  ])(
    'flags %o with env %o: basic auth for the hub, a URL without them, nothing logged',
    async (flags, env) => {
      const config = parseConfig(flags, env);
      expect(config.gridUrl).toBe('http://hub:4444');
      expect(config.hubAuth).toEqual({ username: 'admin', password: 'pw' });
      const logged = await _logged(config);
      expect(logged).not.toContain(':pw');
      expect(logged).not.toContain('"pw"');
      expect(JSON.parse(logged).config).toMatchObject({
        hubAuth: { username: 'admin', password: '[redacted]' },
      });
    },
  );

  test('in the node URL: basic auth for the node', async () => {
    const config = parseConfig({}, { DRAIN_HOOK_NODE_URL: 'http://u:node-pw@127.0.0.1:5555' });
    expect(config.nodeUrl).toBe('http://127.0.0.1:5555');
    expect(config.nodeAuth).toEqual({ username: 'u', password: 'node-pw' });
    expect(await _logged(config)).not.toContain('node-pw');
  });
});

describe('REDACT', () => {
  test('a logged config shows whether secrets are set, never their values', async () => {
    const config = parseConfig(
      { 'ca-file': _caFile() },
      {
        SE_REGISTRATION_SECRET: 'reg-secret-1',
        SE_ROUTER_USERNAME: 'admin',
        SE_ROUTER_PASSWORD: 'router-pw-2',
      },
    );
    const logged = await _logged(config);
    expect(logged).not.toContain('reg-secret-1');
    expect(logged).not.toContain('router-pw-2');
    expect(logged).not.toContain('BEGIN CERTIFICATE');
    expect(JSON.parse(logged).config).toMatchObject({
      registrationSecret: '[redacted]',
      hubAuth: { username: 'admin', password: '[redacted]' },
    });
    expect(JSON.parse(await _logged(parseConfig({}, {}))).config).toMatchObject({ registrationSecret: '' });
    expect(JSON.parse(await _logged(parseConfig({}, {}))).config.hubAuth).toBeUndefined();
  });
});

// --- internal ---

async function _logged(config: unknown): Promise<string> {
  const lines: string[] = [];
  const log = await createLogger({
    name: 'drain-hook',
    level: 'info',
    redact: REDACT,
    fd: 2,
    alsoTo: [{ write: (l: string) => void lines.push(l) }],
  });
  log.info({ config }, 'configuration');
  return lines[0] as string;
}

function _caFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'drain-hook-ca-')), 'ca.pem');
  writeFileSync(path, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  return path;
}
