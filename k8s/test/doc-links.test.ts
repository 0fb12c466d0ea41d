import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { beforeAll, expect, test } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
let docs: string[];
beforeAll(async () => {
  docs = await trackedMarkdown();
}, 30_000);

/**
 * A newcomer follows the READMEs from a fresh clone: every relative link in every Markdown file
 * of the repository names a file or directory the repository has, and a `#fragment` a heading of
 * that file (GitHub's anchors). Links to other sites are not followed.
 */
test('every relative link in the repository’s Markdown resolves, anchors included', () => {
  expect(docs).toContain('k8s/README.md');
  const broken = docs.flatMap((doc) => brokenLinks(doc));
  expect(broken).toEqual([]);
});

test('the check can fail: a missing file and a missing heading are reported', () => {
  const text =
    '## Deploy to your cluster\n[a](README.md) [b](no-such-file.md) [c](#deploy-to-your-cluster) [d](#x)';
  expect(brokenLinks('k8s/README.md', text)).toEqual([
    'k8s/README.md: no-such-file.md (no such file)',
    'k8s/README.md: #x (no such heading)',
  ]);
});

test('anchors follow GitHub: lower case, punctuation dropped, spaces to hyphens, repeats numbered', () => {
  expect(
    anchorsOf('## Deploy to your cluster: images, by digest\n# `worker` (the bin)\n## A\n## A\n'),
  ).toEqual(new Set(['deploy-to-your-cluster-images-by-digest', 'worker-the-bin', 'a', 'a-1']));
});

// --- internal ---

async function trackedMarkdown(): Promise<string[]> {
  let stdout = '';
  const git = spawnTracked('git-ls-files', 'git', ['-C', REPO, 'ls-files', '--', '*.md'], {
    onOutput: (chunk, stream) => {
      if (stream === 'stdout') stdout += chunk;
    },
  });
  const timer = setTimeout(() => void git.stop(1_000), 20_000);
  const exit = await git.exited;
  clearTimeout(timer);
  await git.stop(0);
  if (exit.code !== 0) throw new Error(`git ls-files failed: ${JSON.stringify(exit)}`);
  return stdout.split('\n').filter((path) => path !== '');
}

function brokenLinks(doc: string, text = readFileSync(join(REPO, doc), 'utf8')): string[] {
  const broken: string[] = [];
  // Code is not a link: drop fenced blocks and inline code before looking for `](target)`.
  const prose = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(target!)) continue;
    const [path = '', fragment] = target!.split('#');
    const file = path === '' ? join(REPO, doc) : normalize(join(REPO, dirname(doc), path));
    if (!existsSync(file)) {
      broken.push(`${doc}: ${target} (no such file)`);
    } else if (
      fragment !== undefined &&
      (statSync(file).isDirectory() || !anchorsOf(readOf(file, doc, text)).has(fragment))
    ) {
      broken.push(`${doc}: ${target} (no such heading)`);
    }
  }
  return broken;
}

function readOf(file: string, doc: string, text: string): string {
  return file === join(REPO, doc) ? text : readFileSync(file, 'utf8');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown
    .replace(/^```[\s\S]*?^```/gm, '')
    .matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
