import robotsParserModule from 'robots-parser';

// The package is CommonJS (`module.exports = function`) with types written as an ES default export:
// under Node's ESM the default import is the function itself.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** What robots.txt said about one URL. */
export interface RobotsVerdict {
  allowed: boolean;
  /** The robots.txt that decided, and why, for the log and the manifest. */
  why: string;
}

export interface RobotsRulesOptions {
  /** The product token matched against `User-agent:` lines (e.g. `scrapegrid`). */
  agentToken: string;
  /** Sent when fetching robots.txt. */
  userAgent: string;
  timeoutMs?: number;
  /** Injected in unit tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/**
 * robots.txt per origin, fetched once per run (outside the browser: it is a file for crawlers, not a
 * page) and asked before each page is read. As RFC 9309 says: a 4xx robots.txt means everything is
 * allowed; an unreachable one or a 5xx means nothing is, since the site may be down or overloaded.
 */
export class RobotsRules {
  readonly #options: RobotsRulesOptions;
  readonly #byOrigin = new Map<string, Promise<(url: string) => RobotsVerdict>>();

  constructor(options: RobotsRulesOptions) {
    this.#options = options;
  }

  async check(url: string): Promise<RobotsVerdict> {
    const { origin } = new URL(url);
    let rules = this.#byOrigin.get(origin);
    if (rules === undefined) {
      rules = this.#load(origin);
      this.#byOrigin.set(origin, rules);
    }
    return (await rules)(url);
  }

  // --- internal ---

  async #load(origin: string): Promise<(url: string) => RobotsVerdict> {
    const robotsUrl = `${origin}/robots.txt`;
    const get = this.#options.fetch ?? fetch;
    let response: Response;
    try {
      response = await get(robotsUrl, {
        headers: { 'user-agent': this.#options.userAgent },
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const why = `${robotsUrl} could not be read (${(error as Error).message}): nothing is allowed`;
      return () => ({ allowed: false, why });
    }
    if (response.status >= 500) {
      const why = `${robotsUrl} answered HTTP ${response.status}: nothing is allowed`;
      return () => ({ allowed: false, why });
    }
    if (response.status >= 400) return () => ({ allowed: true, why: `${robotsUrl}: none` });
    const robots = robotsParser(robotsUrl, await response.text());
    const token = this.#options.agentToken;
    return (url) => {
      const allowed = robots.isAllowed(url, token) !== false;
      const line = robots.getMatchingLineNumber(url, token);
      return { allowed, why: `${robotsUrl}${line > 0 ? ` line ${line}` : ''}` };
    };
  }
}
