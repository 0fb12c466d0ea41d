import { describe, expect, test } from 'vitest';
import { assertInternalUrl } from './assert-internal-url.ts';

describe('assertInternalUrl', () => {
  test.each([
    'http://127.0.0.1:4444',
    'http://localhost:4444',
    'http://[::1]:4444',
    'http://10.1.2.3:4444',
    'http://172.16.0.1',
    'http://172.31.255.1',
    'http://192.168.1.10:8080',
    'http://[fd00::1]:4444',
    'http://selenium-hub:4444',
    'http://selenium-hub.scrapegrid.svc:4444',
    'http://selenium-hub.scrapegrid.svc.cluster.local:4444',
  ])('%s is accepted', (url) => {
    expect(assertInternalUrl(url, '--hub').href).toBe(new URL(url).href);
  });

  test.each([
    [
      'http://8.8.8.8',
      '--hub: 8.8.8.8 is neither loopback, a private address nor a cluster-internal name; the load generator only loads those',
    ],
    [
      'http://172.32.0.1',
      '--hub: 172.32.0.1 is neither loopback, a private address nor a cluster-internal name; the load generator only loads those',
    ],
    [
      'http://example.com',
      '--hub: example.com is neither loopback, a private address nor a cluster-internal name; the load generator only loads those',
    ],
    ['ftp://127.0.0.1', '--hub: ftp: is not http or https'],
    ['not a url', '--hub: not a URL: "not a url"'],
  ])('%s is refused', (url, message) => {
    expect(() => assertInternalUrl(url, '--hub')).toThrow(message);
  });
});
