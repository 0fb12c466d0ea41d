export interface QuoteAuthor {
  /** Path segment of the author's page: /author/<slug>. */
  slug: string;
  name: string;
  /** As the page writes it, e.g. "March 14, 1879" (%B %d, %Y). */
  bornText: string;
  /** The same date in ISO 8601 UTC, as the worker writes timestamps. */
  bornIso: string;
  bornLocation: string;
  /** As the page writes it, e.g. "Tue, 3 Feb 26" (%a, %e %b %y). */
  lastSeenText: string;
  lastSeenIso: string;
  /** Shown on the author page only to a logged-in session. */
  agent: string;
}

export interface Quote {
  id: number;
  text: string;
  author: QuoteAuthor;
  tags: string[];
  /** Shown on the listing only to a logged-in session. */
  likes: number;
}

/** Quotes per listing page, and in all: 50 quotes by 8 authors, some far more quoted than others. */
export const QUOTES_PER_PAGE = 10;
export const QUOTE_COUNT = 50;

/** The deterministic quote catalogue: many quotes share one author page. */
export function quote(id: number): Quote {
  // Uneven on purpose, as on real sites: the first authors are quoted most.
  const author = AUTHORS[[0, 0, 1, 0, 2, 1, 3, 0, 4, 5, 1, 6, 2, 7][id % 14]!]!;
  return {
    id,
    text: `“Quote ${id}: the ${ADJECTIVES[id % ADJECTIVES.length]} truth, said by ${author.name}.”`,
    author,
    tags: ['life', 'love', 'books', 'humor'].filter((_, i) => (id + i) % 3 === 0),
    likes: (id * 37) % 1000,
  };
}

export function quotesOnPage(page: number): Quote[] {
  const first = (page - 1) * QUOTES_PER_PAGE + 1;
  const last = Math.min(QUOTE_COUNT, page * QUOTES_PER_PAGE);
  const quotes: Quote[] = [];
  for (let id = first; id <= last; id++) quotes.push(quote(id));
  return quotes;
}

export function quoteAuthor(slug: string): QuoteAuthor | undefined {
  return AUTHORS.find((a) => a.slug === slug);
}

/** Every author, for tests that check each author page is read once. */
export function quoteAuthors(): readonly QuoteAuthor[] {
  return AUTHORS;
}

// --- internal ---

const ADJECTIVES = ['plain', 'hard', 'simple', 'whole', 'quiet', 'old'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON = MONTHS.map((m) => m.slice(0, 3));

function author(
  slug: string,
  name: string,
  born: string,
  bornLocation: string,
  lastSeen: string,
): QuoteAuthor {
  const b = new Date(`${born}T00:00:00Z`);
  const s = new Date(`${lastSeen}T00:00:00Z`);
  return {
    slug,
    name,
    bornText: `${MONTHS[b.getUTCMonth()]} ${String(b.getUTCDate()).padStart(2, '0')}, ${b.getUTCFullYear()}`,
    bornIso: b.toISOString(),
    bornLocation,
    lastSeenText: `${DAYS[s.getUTCDay()]}, ${s.getUTCDate()} ${MON[s.getUTCMonth()]} ${String(s.getUTCFullYear()).slice(2)}`,
    lastSeenIso: s.toISOString(),
    agent: `agent-of-${slug}@example.test`,
  };
}

const AUTHORS: QuoteAuthor[] = [
  author('albert-einstein', 'Albert Einstein', '1879-03-14', 'in Ulm, Germany', '2026-02-03'),
  author('jane-austen', 'Jane Austen', '1775-12-16', 'in Steventon Rectory, England', '2025-09-30'),
  author('marilyn-monroe', 'Marilyn Monroe', '1926-06-01', 'in Los Angeles, USA', '2026-05-17'),
  author('andre-gide', 'André Gide', '1869-11-22', 'in Paris, France', '2024-01-01'),
  author('thomas-edison', 'Thomas A. Edison', '1847-02-11', 'in Milan, Ohio, USA', '2026-11-29'),
  author('eleanor-roosevelt', 'Eleanor Roosevelt', '1884-10-11', 'in New York City, USA', '2023-08-08'),
  author('steve-martin', 'Steve Martin', '1945-08-14', 'in Waco, Texas, USA', '2026-07-04'),
  author('j-k-rowling', 'J.K. Rowling', '1965-07-31', 'in Yate, England', '2025-12-25'),
];
