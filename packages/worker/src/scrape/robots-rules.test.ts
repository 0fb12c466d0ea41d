import { describe, expect, test } from 'vitest';
import { RobotsRules } from './robots-rules.ts';

const ROBOTS = `User-agent: *
Disallow: /private/
Allow: /private/open

User-agent: picky-bot
Disallow: /
`;

function rules(status: number, body = ROBOTS, agentToken = 'scrapegrid') {
  const requests: string[] = [];
  const fake = (async (url: string | URL | Request) => {
    requests.push(String(url));
    return new Response(body, { status });
  }) as typeof fetch;
  return { robots: new RobotsRules({ agentToken, userAgent: `${agentToken}/1`, fetch: fake }), requests };
}

describe('RobotsRules', () => {
  test.each([
    ['http://site.test/products?page=1', true],
    ['http://site.test/private/orders', false],
    ['http://site.test/private/open', true],
  ])('%s allowed: %s; robots.txt is fetched once per origin', async (url, allowed) => {
    const { robots, requests } = rules(200);
    expect((await robots.check(url)).allowed).toBe(allowed);
    expect((await robots.check('http://site.test/other')).allowed).toBe(true);
    expect(requests).toEqual(['http://site.test/robots.txt']);
  });

  test('the group of the agent token wins over *', async () => {
    const { robots } = rules(200, ROBOTS, 'picky-bot');
    expect(await robots.check('http://site.test/products')).toEqual({
      allowed: false,
      why: 'http://site.test/robots.txt line 6',
    });
  });

  test.each([
    [404, true, 'http://site.test/robots.txt: none'],
    [503, false, 'http://site.test/robots.txt answered HTTP 503: nothing is allowed'],
  ])('HTTP %i: allowed %s', async (status, allowed, why) => {
    const { robots } = rules(status, 'oops');
    expect(await robots.check('http://site.test/x')).toEqual({ allowed, why });
  });

  test('an unreachable robots.txt allows nothing', async () => {
    const failing = (async () => {
      throw new Error('connect ECONNREFUSED');
    }) as typeof fetch;
    const robots = new RobotsRules({ agentToken: 'a', userAgent: 'a', fetch: failing });
    expect(await robots.check('http://down.test/x')).toEqual({
      allowed: false,
      why: 'http://down.test/robots.txt could not be read (connect ECONNREFUSED): nothing is allowed',
    });
  });
});
