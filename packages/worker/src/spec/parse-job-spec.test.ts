// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the spec's own ${env:NAME} syntax
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseJobSpec } from './parse-job-spec.ts';
import { SPEC_DEFAULTS } from './spec-defaults.ts';
import { SpecError } from './spec-error.ts';

const START = 'http://127.0.0.1:8080/products?page=1';
const ITEMS = 'items:\n  selector: li.product\n  fields:\n    id: { attribute: data-id, type: integer }\n';

/** A valid minimal spec (lines 1-8), with `extra` appended from line 9 and `items` replaceable. */
function spec(extra = '', items = ITEMS): string {
  return `version: 1\nname: t\nstart:\n  urls: [${START}]\n${items}${extra}`;
}
function withItems(fields: string): string {
  return spec('', `items:\n  selector: li.product\n  fields:\n${fields}`);
}
function withStart(start: string): string {
  return spec().replace(`  urls: [${START}]`, start);
}

describe('parseJobSpec rejects a broken spec with the field, the line and what is wrong', () => {
  test.each([
    ['an empty document', '', 'job.yaml:1: (document): must be a mapping with version, name, start, items…'],
    [
      'YAML that does not parse',
      'version: 1\nname: [unclosed\n',
      'job.yaml:3: (document): Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    ['a duplicate key', spec('name: u\n'), 'job.yaml:9: (document): Map keys must be unique'],
    [
      'another version',
      spec().replace('version: 1', 'version: 2'),
      'job.yaml:1: version: must be 1 (the only version this worker reads)',
    ],
    ['no name', spec().replace('name: t\n', ''), 'job.yaml:1: name: is required'],
    [
      'a name that cannot name files',
      spec().replace('name: t', 'name: my job'),
      'job.yaml:2: name: must be letters, digits, ".", "_" or "-" (it names files and metrics)',
    ],
    [
      'an unknown top-level key (a typo)',
      spec('limit:\n  concurrency: 2\n'),
      'job.yaml:9: limit: unknown key; expected one of version, name, start, wait, actions, items, pagination, detail, login, robotsTxt, limits, browser, output, embulk',
    ],
    ['no start', spec().replace(`start:\n  urls: [${START}]\n`, ''), 'job.yaml:1: start: is required'],
    [
      'both urls and template',
      spec().replace('start:\n', "start:\n  template: 'http://x/{page}'\n"),
      'job.yaml:4: start: must have either urls or template (with pages)',
    ],
    [
      'a file: start URL',
      spec().replace(START, 'file:///etc/passwd'),
      'job.yaml:4: start.urls[0]: must be an http or https URL, not file:',
    ],
    [
      'a relative start URL',
      spec().replace(START, '/products'),
      'job.yaml:4: start.urls[0]: must be an absolute URL',
    ],
    [
      'a template without {page}',
      withStart("  template: 'http://x/p'\n  pages: { from: 1, to: 3 }"),
      'job.yaml:4: start.template: must contain {page}',
    ],
    [
      'a page range backwards',
      withStart("  template: 'http://x/p?page={page}'\n  pages: { from: 5, to: 3 }"),
      'job.yaml:5: start.pages.to: must be at least pages.from (5)',
    ],
    [
      'a template without pages',
      withStart("  template: 'http://x/p?page={page}'"),
      'job.yaml:4: start.pages: is required',
    ],
    [
      'a secret reference outside embulk',
      spec().replace(START, "'http://x/?token=${env:TOKEN}'"),
      'job.yaml:4: start.urls[0]: ${env:…} is only resolved inside embulk.out and embulk.extra',
    ],
    [
      'an unknown field type',
      withItems('    price: { css: span.price, type: money }\n'),
      'job.yaml:8: items.fields.price.type: must be one of string, integer, number, boolean, timestamp, url, json',
    ],
    [
      'both css and xpath',
      withItems('    name: { css: a, xpath: //a }\n'),
      'job.yaml:8: items.fields.name: has both css and xpath; give one',
    ],
    [
      'a format on a string field',
      withItems("    name: { css: a, format: '%Y' }\n"),
      'job.yaml:8: items.fields.name.format: only applies to fields of type timestamp',
    ],
    [
      'an unknown timestamp directive',
      withItems("    at: { css: time, type: timestamp, format: '%Y-%Q' }\n"),
      'job.yaml:8: items.fields.at.format: %Q is not supported; use %Y %y %m %d %e %H %I %M %S %L %N %p %B %b %A %a %z %%',
    ],
    [
      'read: attribute without its name',
      withItems('    id: { read: attribute }\n'),
      'job.yaml:8: items.fields.id.read: is attribute: name the attribute with `attribute: <name>`',
    ],
    [
      'a field name that is no column name',
      withItems('    in-stock: dd.stock\n'),
      'job.yaml:8: items.fields.in-stock: field names must match [A-Za-z_][A-Za-z0-9_]* (they become column names)',
    ],
    [
      'no fields',
      spec('', 'items:\n  selector: li.product\n  fields: {}\n'),
      'job.yaml:7: items.fields: must name at least one field',
    ],
    [
      'no item selector',
      spec('', 'items:\n  fields:\n    id: a\n'),
      'job.yaml:6: items.selector: is required',
    ],
    [
      'pagination without next or loadMore',
      spec('pagination:\n  maxPages: 3\n'),
      'job.yaml:10: pagination: must have next (a next-page control) or loadMore (a "load more" button)',
    ],
    [
      'a follow mode that does not exist',
      spec('pagination:\n  next: a.next\n  follow: js\n'),
      'job.yaml:11: pagination.follow: must be one of link, click',
    ],
    [
      'follow without next',
      spec('pagination:\n  loadMore: button.more\n  follow: click\n'),
      'job.yaml:11: pagination.follow: only goes with next',
    ],
    [
      'onUnfollowable that is neither fail nor warn',
      spec('pagination:\n  next: a.next\n  onUnfollowable: ignore\n'),
      'job.yaml:11: pagination.onUnfollowable: must be one of fail, warn',
    ],
    [
      'a loadMore that is no locator',
      spec('pagination:\n  loadMore: { text: More }\n'),
      'job.yaml:10: pagination.loadMore.text: unknown key; expected one of css, xpath\njob.yaml:10: pagination.loadMore: must have css or xpath',
    ],
    [
      'a login without success check',
      spec('login:\n  url: http://x/login\n  actions:\n    - click: "#login"\n'),
      'job.yaml:10: login.success: is required: an element (for) or a URL part (urlContains) that shows the login worked',
    ],
    [
      'a login success with nothing to check',
      spec('login:\n  url: http://x/login\n  actions:\n    - click: "#login"\n  success: {}\n'),
      'job.yaml:13: login.success: must have for (an element) or urlContains (a URL part)',
    ],
    [
      'a login without url',
      spec('login:\n  actions:\n    - click: "#login"\n  success: { for: "#logout" }\n'),
      'job.yaml:10: login.url: is required',
    ],
    [
      'a login without actions',
      spec('login:\n  url: http://x/login\n  success: { for: "#logout" }\n'),
      'job.yaml:10: login.actions: is required',
    ],
    [
      'a login with an empty list of actions',
      spec('login:\n  url: http://x/login\n  actions: []\n  success: { for: "#logout" }\n'),
      'job.yaml:11: login.actions: must list at least one action (fill, click…)',
    ],
    [
      'a login fill whose variable is not set',
      spec(
        'login:\n  url: http://x/login\n  actions:\n    - fill: "#password"\n      fromEnv: SHOP_PASSWORD\n  success: { urlContains: /account }\n',
      ),
      'job.yaml:13: login.actions[0].fromEnv: environment variable SHOP_PASSWORD is not set',
    ],
    [
      'a login URL that is not http',
      spec(
        'login:\n  url: javascript:alert(1)\n  actions:\n    - click: "#login"\n  success: { urlContains: /account }\n',
      ),
      'job.yaml:10: login.url: must be an http or https URL, not javascript:',
    ],
    [
      'robotsTxt that is neither obey nor ignore',
      spec('robotsTxt: false\n'),
      'job.yaml:9: robotsTxt: must be one of obey, ignore',
    ],
    [
      'a negative minItems',
      spec('limits:\n  minItems: -1\n'),
      'job.yaml:10: limits.minItems: must be at least 0',
    ],
    [
      'minItems above maxItems',
      spec('limits:\n  maxItems: 10\n  minItems: 20\n'),
      'job.yaml:11: limits.minItems: must be at most maxItems (10)',
    ],
    [
      'an empty user agent',
      spec("browser:\n  userAgent: ''\n"),
      'job.yaml:10: browser.userAgent: must not be empty',
    ],
    [
      'a Grid wait that is neither node nor hub',
      spec('browser:\n  waitFor: nodes\n'),
      "job.yaml:10: browser.waitFor: must be 'node' or 'hub'",
    ],
    [
      'a window too small and without height',
      spec('browser:\n  windowSize: { width: 100 }\n'),
      'job.yaml:10: browser.windowSize.width: must be at least 200\njob.yaml:10: browser.windowSize.height: is required',
    ],
    [
      'a fill whose variable is not set',
      spec('actions:\n  - fill: "#password"\n    fromEnv: SHOP_PASSWORD\n'),
      'job.yaml:11: actions[0].fromEnv: environment variable SHOP_PASSWORD is not set',
    ],
    [
      'a fill without fromEnv',
      spec('actions:\n  - fill: "#password"\n'),
      'job.yaml:10: actions[0].fromEnv: is required',
    ],
    [
      'an action with two kinds',
      spec('actions:\n  - click: "#login"\n    wait: 500\n'),
      'job.yaml:10: actions[0]: must have exactly one of fill, click, wait, scroll',
    ],
    [
      'a scroll with bad numbers',
      spec('actions:\n  - scroll: { times: 0, untilCount: { selector: li } }\n'),
      'job.yaml:10: actions[0].scroll.times: must be at least 1\njob.yaml:10: actions[0].scroll.untilCount.count: is required',
    ],
    [
      'a detail urlField that is no url field',
      spec('detail:\n  urlField: id\n  fields:\n    stock: dd.stock\n'),
      'job.yaml:10: detail.urlField: items.fields.id must be a single value of type url',
    ],
    [
      'a detail field named like an item field',
      spec(
        'detail:\n  urlField: url\n  fields:\n    name: h1\n',
        'items:\n  selector: li.product\n  fields:\n    url: { css: a, attribute: href, type: url }\n    name: a\n',
      ),
      'job.yaml:13: detail.fields.name: is also an item field; rename one',
    ],
    [
      'no concurrency',
      spec('limits:\n  concurrency: 0\n'),
      'job.yaml:10: limits.concurrency: must be at least 1',
    ],
    [
      'a jitter above 1',
      spec('limits:\n  backoff: { jitter: 2 }\n'),
      'job.yaml:10: limits.backoff.jitter: must be at most 1',
    ],
    [
      'fractional retries',
      spec('limits:\n  retries: 1.5\n'),
      'job.yaml:10: limits.retries: must be an integer',
    ],
    [
      'a size in an unknown unit',
      spec('output:\n  partMaxBytes: 10MB\n'),
      'job.yaml:10: output.partMaxBytes: must be a byte count: an integer or a size like 64MiB',
    ],
    [
      'a Grid URL that is not http',
      spec('browser:\n  gridUrl: ftp://grid:4444\n'),
      'job.yaml:10: browser.gridUrl: must be an http or https URL, not ftp:',
    ],
    [
      'the Selenium 3 version capability',
      spec('browser:\n  capabilities: { browserName: chrome, version: "120" }\n'),
      'job.yaml:10: browser.capabilities.version: write browserVersion (the W3C name)',
    ],
    [
      'arguments for a browser without known options',
      spec('browser:\n  capabilities: { browserName: safari, arguments: [--x] }\n'),
      'job.yaml:10: browser.capabilities.arguments: is only understood for chrome, firefox, MicrosoftEdge; use the vendor key',
    ],
    [
      'an embulk secret whose variable is not set',
      spec('embulk:\n  out:\n    type: postgresql\n    password: ${env:DB_PASSWORD}\n'),
      'job.yaml:12: embulk.out.password: environment variable DB_PASSWORD is not set (referenced as ${env:DB_PASSWORD})',
    ],
    [
      'an embulk out without type',
      spec('embulk:\n  out:\n    table: products\n'),
      'job.yaml:11: embulk.out.type: is required (the Embulk output plugin)',
    ],
    [
      'an embulk in: section (the worker writes it)',
      spec('embulk:\n  out: { type: stdout }\n  extra:\n    in: { type: file }\n'),
      'job.yaml:12: embulk.extra.in: unknown key; expected one of exec, filters',
    ],
    [
      'an embulk section without out',
      spec('embulk:\n  extra:\n    exec: { max_threads: 2 }\n'),
      'job.yaml:10: embulk.out: is required',
    ],
  ])('%s', (_, yaml, message) => {
    const error = catchSpecError(() => parseJobSpec(yaml, { env: {} }));
    expect(error.message).toBe(message);
    expect(error.code).toBe('SPEC_INVALID');
  });

  test('every problem is listed, in document order, each with its path and line', () => {
    const yaml =
      'version: 3\nname: t\nstart:\n  urls: [ftp://x]\nitems:\n  selector: li\n  fields:\n    price: { type: money }\nlimits:\n  concurrency: -1\n';
    const error = catchSpecError(() => parseJobSpec(yaml, { env: {}, sourceName: 'shop.yaml' }));
    expect(error.issues).toEqual([
      { path: 'version', line: 1, message: 'must be 1 (the only version this worker reads)' },
      { path: 'start.urls[0]', line: 4, message: 'must be an http or https URL, not ftp:' },
      {
        path: 'items.fields.price.type',
        line: 8,
        message: 'must be one of string, integer, number, boolean, timestamp, url, json',
      },
      { path: 'limits.concurrency', line: 10, message: 'must be at least 1' },
    ]);
    expect(error.message.split('\n')[0]).toBe(
      'shop.yaml:1: version: must be 1 (the only version this worker reads)',
    );
  });

  test('a secret value never appears in the error', () => {
    const yaml = spec(
      'embulk:\n  out:\n    type: pg\n    password: ${env:DB_PASSWORD}\n    user: ${env:DB_USER}\n',
    );
    const error = catchSpecError(() => parseJobSpec(yaml, { env: { DB_PASSWORD: 's3cr3t-value' } }));
    expect(error.message).toBe(
      'job.yaml:13: embulk.out.user: environment variable DB_USER is not set (referenced as ${env:DB_USER})',
    );
    expect(error.message).not.toContain('s3cr3t-value');
  });

  test('a value still the shipped replace-me placeholder is refused, named, never shown; real values pass', () => {
    const yaml = spec(
      'embulk:\n  out:\n    type: pg\n    password: ${env:DB_PASSWORD}\n    user: ${env:DB_USER}\n' +
        'login:\n  url: http://x/login\n  actions:\n    - fill: "#password"\n      fromEnv: SHOP_PASSWORD\n  success: { urlContains: /account }\n',
    );
    const placeholders = {
      DB_PASSWORD: 'replace-me',
      DB_USER: 'replace-me',
      SHOP_PASSWORD: 'replace-me-with-a-long-random-string',
    };
    const error = catchSpecError(() => parseJobSpec(yaml, { env: placeholders }));
    const why =
      'is still the shipped placeholder; set it in the Secret scrape-job-credentials (k8s/README.md, Security)';
    expect(error.message).toBe(
      [
        `job.yaml:18: login.actions[0].fromEnv: SHOP_PASSWORD ${why}`,
        `job.yaml:12: embulk.out.password: DB_PASSWORD ${why}`,
        `job.yaml:13: embulk.out.user: DB_USER ${why}`,
      ].join('\n'),
    );
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).not.toContain('replace-me');
    const env = { DB_PASSWORD: 's3cr3t-value', DB_USER: 'loader', SHOP_PASSWORD: 'sh0p-pw' };
    expect(parseJobSpec(yaml, { env }).embulk?.out).toEqual({
      type: 'pg',
      password: 's3cr3t-value',
      user: 'loader',
    });
  });
});

describe('parseJobSpec parses every selector with a real parser', () => {
  test.each([
    [
      'an unclosed attribute selector',
      spec(
        '',
        "items:\n  selector: 'li.product[data-x='\n  fields:\n    id: { attribute: data-id, type: integer }\n",
      ),
      'job.yaml:6: items.selector: is not a valid CSS selector: unexpected end of input at character 18',
    ],
    [
      'an unclosed XPath predicate in a field',
      withItems(`    id: { xpath: "//div[@id='x'", type: integer }\n`),
      'job.yaml:8: items.fields.id.xpath: is not a valid XPath expression: it does not parse',
    ],
    [
      'a dangling combinator in a field written as a selector',
      withItems("    name: 'a.title >'\n"),
      'job.yaml:8: items.fields.name: is not a valid CSS selector: expected rule but end of input reached at character 9',
    ],
    [
      'an empty class name in a field css',
      withItems("    name: { css: 'a..title' }\n"),
      'job.yaml:8: items.fields.name.css: is not a valid CSS selector: expected class name at character 3',
    ],
    [
      'a click target',
      spec("actions:\n  - click: 'button[type=submit'\n"),
      'job.yaml:10: actions[0].click: is not a valid CSS selector: expected end of attribute selector at character 18',
    ],
    [
      'a wait for an XPath',
      spec("wait:\n  for: { xpath: '//ul[' }\n"),
      'job.yaml:10: wait.for.xpath: is not a valid XPath expression: it does not parse',
    ],
    [
      'a next link with an unclosed XPath string',
      spec("pagination:\n  next: { xpath: '//a[@rel=\"next]' }\n"),
      'job.yaml:10: pagination.next.xpath: is not a valid XPath expression: a string literal is not closed',
    ],
    [
      "a login's success element",
      spec("login:\n  url: http://x/login\n  actions: [{ click: '#go' }]\n  success: { for: '#done:' }\n"),
      'job.yaml:12: login.success.for: is not a valid CSS selector: expected pseudo-class name at character 6',
    ],
  ])('%s is refused with its path and line', (_, yaml, message) => {
    const error = catchSpecError(() => parseJobSpec(yaml, { env: {} }));
    expect(error.message).toBe(message);
    expect(error.code).toBe('SPEC_INVALID');
  });

  test('CSS Level 4 selectors that Chromium runs, and XPath 1.0, are accepted as written', () => {
    const css = [
      'li.product:has(> a.title)',
      ':is(li, article).product',
      'li:not(.sold-out, .hidden)',
      "a[data-kind='Next' i]",
      'li:nth-child(2n+1 of .product)',
      'input:-webkit-autofill',
    ];
    const xpath = [
      "//a[contains(concat(' ', normalize-space(@class), ' '), ' next ')]/@href",
      '(//li[@data-id])[last()]',
    ];
    const fields = [
      ...css.map((selector, i) => `    c${i}: "${selector}"\n`),
      ...xpath.map((expression, i) => `    x${i}: { xpath: "${expression}" }\n`),
    ].join('');
    const parsed = parseJobSpec(withItems(fields), { env: {} });
    expect(Object.values(parsed.items.fields).map((field) => field.locator)).toEqual([
      ...css.map((selector) => ({ css: selector })),
      ...xpath.map((expression) => ({ xpath: expression })),
    ]);
  });
});

describe('parseJobSpec on a valid spec', () => {
  test('login, click pagination, load more, robots.txt, user agent and window size', () => {
    const yaml = spec(`pagination:
  next: { xpath: '//button[.="Next"]' }
  follow: click
  loadMore: button.more
  maxPages: 7
  onUnfollowable: warn
login:
  url: https://shop.example/login
  wait: { for: '#username' }
  actions:
    - fill: '#password'
      fromEnv: SHOP_PASSWORD
    - click: '#login'
  success: { for: a.logout, urlContains: /account }
robotsTxt: ignore
limits: { minItems: 0 }
browser:
  userAgent: 'scrapegrid-test/1.0 (+https://example.org/bot)'
  windowSize: { width: 1280, height: 900 }
  waitFor: hub
`);
    const parsed = parseJobSpec(yaml, { env: { SHOP_PASSWORD: 'pw' } });
    expect(parsed.pagination).toEqual({
      next: { xpath: '//button[.="Next"]' },
      follow: 'click',
      loadMore: { css: 'button.more' },
      maxPages: 7,
      onUnfollowable: 'warn',
    });
    expect(parsed.login).toEqual({
      url: 'https://shop.example/login',
      wait: { for: { css: '#username' }, timeoutMs: SPEC_DEFAULTS.waitTimeoutMs },
      actions: [
        { kind: 'fill', target: { css: '#password' }, fromEnv: 'SHOP_PASSWORD' },
        { kind: 'click', target: { css: '#login' } },
      ],
      success: { for: { css: 'a.logout' }, urlContains: '/account' },
      timeoutMs: SPEC_DEFAULTS.loginTimeoutMs,
    });
    expect(parsed.robotsTxt).toBe('ignore');
    expect(parsed.limits.minItems).toBe(0);
    expect(parsed.browser.userAgent).toBe('scrapegrid-test/1.0 (+https://example.org/bot)');
    expect(parsed.browser.windowSize).toEqual({ width: 1280, height: 900 });
    expect(parsed.browser.waitFor).toBe('hub');
  });

  test('a pagination with only loadMore follows no next link', () => {
    const parsed = parseJobSpec(spec('pagination:\n  loadMore: button.more\n'), { env: {} });
    expect(parsed.pagination).toEqual({
      follow: 'link',
      loadMore: { css: 'button.more' },
      maxPages: SPEC_DEFAULTS.limits.maxPages,
      onUnfollowable: 'fail',
    });
  });

  test('fills every default', () => {
    const parsed = parseJobSpec(spec(), { env: {} });
    expect(parsed).toEqual({
      version: 1,
      name: 't',
      start: { kind: 'urls', urls: [START] },
      wait: { timeoutMs: SPEC_DEFAULTS.waitTimeoutMs },
      actions: [],
      items: {
        locator: { css: 'li.product' },
        fields: {
          id: { read: { kind: 'attribute', name: 'data-id' }, all: false, type: 'integer', required: false },
        },
      },
      robotsTxt: 'obey',
      limits: SPEC_DEFAULTS.limits,
      browser: SPEC_DEFAULTS.browser,
      output: SPEC_DEFAULTS.output,
    });
  });

  test('reads the bundled example for the fixture site', () => {
    const text = readFileSync(new URL('../../examples/products.yaml', import.meta.url), 'utf8');
    const env = {
      DB_HOST: '127.0.0.1',
      DB_PORT: '5432',
      DB_USER: 'scraper',
      DB_PASSWORD: 'pw-1234',
      DB_NAME: 'shop',
    };
    const parsed = parseJobSpec(text, { env });
    expect(parsed.start).toEqual({ kind: 'urls', urls: ['http://127.0.0.1:8080/products?page=1'] });
    expect(Object.keys(parsed.items.fields)).toEqual(['id', 'name', 'url', 'price', 'tags', 'addedAt']);
    expect(parsed.items.fields.tags).toEqual({
      locator: { css: 'span.tag' },
      read: { kind: 'text' },
      all: true,
      type: 'string',
      required: false,
    });
    expect(parsed.detail?.urlField).toBe('url');
    expect(parsed.detail?.fields.specs).toMatchObject({ read: { kind: 'html' }, type: 'json' });
    expect(parsed.pagination).toEqual({
      next: { css: 'a.next' },
      follow: 'link',
      maxPages: 20,
      onUnfollowable: 'fail',
    });
    expect(parsed.output.partMaxBytes).toBe(16 * 1024);
    expect(parsed.embulk?.out).toEqual({
      type: 'pgcopy',
      host: '127.0.0.1',
      port: '5432',
      user: 'scraper',
      password: 'pw-1234',
      database: 'shop',
      table: 'products',
      mode: 'replace',
    });
  });

  test('reads the bundled quotes example (login, shared author pages, long-form dates)', () => {
    const text = readFileSync(new URL('../../examples/quotes.yaml', import.meta.url), 'utf8');
    const parsed = parseJobSpec(text, { env: { QUOTES_USER: 'u', QUOTES_PASSWORD: 'p' } });
    expect(parsed.login?.success).toEqual({ for: { css: 'a.logout' } });
    expect(parsed.detail?.fields.born?.format).toBe('%B %d, %Y');
    expect(parsed.limits.minItems).toBe(50);
    expect(() => parseJobSpec(text, { env: {}, sourceName: 'quotes.yaml' })).toThrow(
      'quotes.yaml:17: login.actions[0].fromEnv: environment variable QUOTES_USER is not set',
    );
  });

  test('a template start, xpath locators, and page actions', () => {
    const yaml = `version: 1
name: login-then-list
start:
  template: 'https://shop.example/orders?page={page}'
  pages: { from: 1, to: 3 }
wait: { for: { xpath: '//li[@class="order"]' }, timeoutMs: 5000 }
actions:
  - fill: { css: '#username' }
    fromEnv: SHOP_USER
  - click: '#login'
  - wait: 250
  - wait: { for: li.order }
  - scroll: { times: 5, pauseMs: 100, untilCount: { selector: li.order, count: 50 } }
items:
  selector: { xpath: '//li[@class="order"]' }
  fields:
    total: { xpath: './span', type: number, required: true }
    at: { css: time, attribute: datetime, type: timestamp, format: '%d/%m/%Y %H:%M' }
`;
    const parsed = parseJobSpec(yaml, { env: { SHOP_USER: 'demo' } });
    expect(parsed.start).toEqual({
      kind: 'template',
      template: 'https://shop.example/orders?page={page}',
      from: 1,
      to: 3,
    });
    expect(parsed.wait).toEqual({ for: { xpath: '//li[@class="order"]' }, timeoutMs: 5000 });
    expect(parsed.actions).toEqual([
      { kind: 'fill', target: { css: '#username' }, fromEnv: 'SHOP_USER' },
      { kind: 'click', target: { css: '#login' } },
      { kind: 'wait', timeoutMs: 250 },
      { kind: 'wait', for: { css: 'li.order' }, timeoutMs: SPEC_DEFAULTS.waitTimeoutMs },
      { kind: 'scroll', times: 5, pauseMs: 100, untilCount: { locator: { css: 'li.order' }, count: 50 } },
    ]);
    expect(parsed.items.fields.total).toEqual({
      locator: { xpath: './span' },
      read: { kind: 'text' },
      all: false,
      type: 'number',
      required: true,
    });
    expect(parsed.items.fields.at?.format).toBe('%d/%m/%Y %H:%M');
    // The fill's value is read from the environment by the scraper, never copied into the spec.
    expect(JSON.stringify(parsed)).not.toContain('demo');
  });

  test('resolves ${env:NAME} in embulk.out and embulk.extra, inside longer strings too', () => {
    const yaml = spec(`embulk:
  out:
    type: postgresql
    host: db
    password: \${env:DB_PASSWORD}
    url: 'jdbc:postgresql://\${env:DB_USER}@db/shop'
    options: ['\${env:DB_OPTION}', 2]
  extra:
    exec: { max_threads: 4 }
`);
    const parsed = parseJobSpec(yaml, {
      env: { DB_PASSWORD: 'pw-0123', DB_USER: 'scraper', DB_OPTION: 'ssl' },
    });
    expect(parsed.embulk).toEqual({
      out: {
        type: 'postgresql',
        host: 'db',
        password: 'pw-0123',
        url: 'jdbc:postgresql://scraper@db/shop',
        options: ['ssl', 2],
      },
      extra: { exec: { max_threads: 4 } },
      // For runEmbulk's redact: values from the environment, except ones too short to redact sensibly.
      secrets: ['pw-0123', 'scraper'],
    });
  });

  test('browser arguments go into the browser options key; sizes and relative output dirs are read', () => {
    const yaml = spec(`browser:
  gridUrl: http://hub:4444
  capabilities:
    browserName: firefox
    platformName: linux
    arguments: [-headless]
output:
  dir: out/demo
  partMaxBytes: 512KiB
`);
    const parsed = parseJobSpec(yaml, { env: {} });
    expect(parsed.browser).toEqual({
      gridUrl: 'http://hub:4444',
      capabilities: {
        browserName: 'firefox',
        platformName: 'linux',
        'moz:firefoxOptions': { args: ['-headless'] },
      },
      readyTimeoutMs: SPEC_DEFAULTS.browser.readyTimeoutMs,
      waitFor: 'node',
    });
    expect(parsed.output).toEqual({ dir: `${process.cwd()}/out/demo`, partMaxBytes: 512 * 1024 });
  });
});

// --- internal ---

function catchSpecError(run: () => unknown): SpecError {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('expected a SpecError, but the spec was accepted');
}
