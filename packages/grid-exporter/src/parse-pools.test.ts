import { readFileSync } from 'node:fs';
import { ConfigError } from '@scrapegrid/program-kit';
import { describe, expect, test } from 'vitest';
import { parsePools } from './parse-pools.ts';

describe('parsePools', () => {
  test('fills KEDA defaults', () => {
    const [pool] = parsePools('- name: edge\n  browserName: MicrosoftEdge\n', 'pools.yaml');
    expect(pool).toEqual({
      name: 'edge',
      browserName: 'MicrosoftEdge',
      sessionBrowserName: 'MicrosoftEdge',
      browserVersion: '',
      platformName: '',
      nodeMaxSessions: 1,
      capabilities: {},
      enableManagedDownloads: true,
      idleNodes: 0,
      kubernetes: undefined,
    });
    expect(Object.isFrozen(pool)).toBe(true);
  });

  test('reads every field, including KEDA string spellings', () => {
    const [pool] = parsePools(
      `- name: chrome
  browserName: chrome
  sessionBrowserName: chrome
  browserVersion: "91.0"
  platformName: Linux
  nodeMaxSessions: "3"
  capabilities: '{"myApp:scope": "internal"}'
  enableManagedDownloads: "false"
  idleNodes: 2
  kubernetes: {namespace: selenium, podSelector: app=chrome}
`,
      'pools.yaml',
    );
    expect(pool).toMatchObject({
      browserVersion: '91.0',
      nodeMaxSessions: 3,
      capabilities: { 'myApp:scope': 'internal' },
      enableManagedDownloads: false,
      idleNodes: 2,
      kubernetes: { namespace: 'selenium', podSelector: 'app=chrome' },
    });
  });

  test('the example pools file is valid', () => {
    const text = readFileSync(new URL('../examples/pools.yaml', import.meta.url), 'utf8');
    expect(parsePools(text, 'examples/pools.yaml').length).toBeGreaterThan(0);
  });

  test.each([
    ['{}', 'must be a list of pools'],
    ['- browserName: chrome', 'pools[0].name: required'],
    ['- name: a b', 'pools[0].name: must match'],
    ['- name: a\n- name: a', 'pools[1].name: "a" is used twice'],
    ['- name: a\n  nodeMaxSession: 2', 'pools[0].nodeMaxSession: unknown field'],
    ['- name: a\n  nodeMaxSessions: 0', 'pools[0].nodeMaxSessions: must be an integer ≥ 1'],
    ['- name: a\n  idleNodes: -1', 'pools[0].idleNodes: must be an integer ≥ 0'],
    ['- name: a\n  browserVersion: 91.0', 'pools[0].browserVersion: must be a string'],
    ['- name: a\n  browserName: [chrome]', 'pools[0].browserName: must be a string'],
    ['- name: a\n  enableManagedDownloads: yes', 'pools[0].enableManagedDownloads: must be true or false'],
    ['- name: a\n  capabilities: "{nope"', 'pools[0].capabilities: not valid JSON'],
    ['- name: a\n  capabilities: [1]', 'pools[0].capabilities: must be a mapping'],
    ['- name: a\n  capabilities: {"se:downloadsEnabled": 1}', 'pools[0].capabilities.se:downloadsEnabled'],
    ['- name: a\n  kubernetes: {namespace: Bad_NS, podSelector: a=b}', 'pools[0].kubernetes.namespace'],
    ['- name: a\n  kubernetes: {namespace: ns}', 'pools[0].kubernetes.podSelector: required'],
    [
      '- name: a\n  kubernetes: {namespace: ns, podSelector: a=b, verbs: [delete]}',
      'pools[0].kubernetes.verbs: unknown',
    ],
    ['- name: [', 'not valid YAML'],
  ])('%j fails naming the field', (text, message) => {
    expect(() => parsePools(text, 'pools.yaml')).toThrow(ConfigError);
    expect(() => parsePools(text, 'pools.yaml')).toThrow(message);
  });
});
