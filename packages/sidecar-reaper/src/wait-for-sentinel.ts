import { type FSWatcher, watch } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { readSentinel, type Sentinel } from '@scrapegrid/sentinel';
import type { Logger } from 'pino';

export interface SentinelSeen {
  /** Undefined when the file is there but malformed: the worker still said it is done. */
  sentinel: Sentinel | undefined;
  /** How it was noticed: already there at start, an inotify event, or the fallback poll. */
  via: 'startup' | 'inotify' | 'poll';
  /** performance.now() when it was read. */
  seenAt: number;
  problem?: string;
}

export interface WaitForSentinelOptions {
  pollIntervalMs: number;
  signal: AbortSignal;
  log: Logger;
}

/**
 * Resolves when the sentinel file exists. Three ways in, because each alone misses something:
 * a check at start (a sentinel written before the reaper started, kubexit#8), inotify on its
 * directory through fs.watch (fast), and a slow poll for filesystems that drop events. When the
 * directory does not exist yet, the nearest existing ancestor is watched until it appears.
 * Never resolves once `signal` aborts.
 */
export function waitForSentinel(path: string, options: WaitForSentinelOptions): Promise<SentinelSeen> {
  const { pollIntervalMs, signal, log } = options;
  const dir = dirname(path);
  const name = basename(path);
  return new Promise((resolve) => {
    let watcher: FSWatcher | undefined;
    let watchedDir = '';
    let armings = 0;
    let done = false;
    let checking = false;
    let recheck: SentinelSeen['via'] | undefined;

    const finish = (seen: SentinelSeen) => {
      if (done) return;
      done = true;
      cleanup();
      resolve(seen);
    };
    const cleanup = () => {
      clearInterval(poll);
      watcher?.close();
      signal.removeEventListener('abort', stop);
    };
    const stop = () => {
      done = true;
      cleanup();
    };

    const check = async (via: SentinelSeen['via']): Promise<void> => {
      if (done) return;
      if (checking) {
        recheck ??= via;
        return;
      }
      checking = true;
      try {
        const sentinel = await readSentinel(path);
        if (sentinel) finish({ sentinel, via, seenAt: performance.now() });
      } catch (error) {
        const code = (error as { code?: string }).code;
        // A file that is there but malformed or unreadable still says the worker is done; the
        // content is only information, and waiting on would keep the pod running forever.
        if (code === 'SENTINEL_INVALID' || code === 'EACCES') {
          finish({ sentinel: undefined, via, seenAt: performance.now(), problem: (error as Error).message });
        } else if (code !== 'EISDIR') {
          log.warn({ err: error, path }, 'could not read the sentinel; will retry');
        }
      } finally {
        checking = false;
      }
      if (recheck && !done) {
        const next = recheck;
        recheck = undefined;
        await check(next);
      }
    };

    const arm = async (via: SentinelSeen['via']): Promise<void> => {
      if (done) return;
      const generation = ++armings;
      const target = await _nearestExisting(dir);
      // Ancestor events come in bursts (mkdir -p): a later call looked at the tree more recently
      // and decides what to watch; an older one finishing last would watch a shallower directory.
      if (done || generation !== armings) return;
      if (watcher && target === watchedDir) return;
      watcher?.close();
      watchedDir = target;
      try {
        watcher = watch(target, { persistent: false }, (_event, filename) => {
          if (watchedDir !== dir) {
            // An ancestor changed: the sentinel's directory (or one on the way) may exist now.
            void arm('inotify');
          } else if (filename === null || filename === name) {
            void check('inotify');
          }
        });
        watcher.on('error', (error) => {
          // The watched directory went away (or the watch limit was hit): the poll still runs.
          log.warn({ err: error, dir: watchedDir }, 'inotify watch failed; re-arming');
          watcher?.close();
          watcher = undefined;
          watchedDir = '';
          setTimeout(() => void arm('poll'), pollIntervalMs).unref();
        });
        log.debug({ dir: target, sentinelDirExists: target === dir }, 'watching for the sentinel');
      } catch (error) {
        log.warn({ err: error, dir: target }, 'inotify unavailable; relying on the poll');
      }
      // A directory on the way that appeared before this watch was in place sends it no event
      // (mkdir -p creates the next level at once): look again, or the poll would be the only way in.
      if (target !== dir && (await _nearestExisting(dir)) !== target) return arm(via);
      // Anything created between the last check and this watch is caught here.
      await check(via);
    };

    const poll = setInterval(() => {
      void check('poll');
      if (watchedDir !== dir) void arm('poll');
    }, pollIntervalMs);
    signal.addEventListener('abort', stop, { once: true });
    void check('startup').then(() => arm('startup'));
  });
}

// --- internal ---

async function _nearestExisting(dir: string): Promise<string> {
  for (let d = dir; ; d = dirname(d)) {
    try {
      await access(d);
      return d;
    } catch {
      if (d === dirname(d)) return d;
    }
  }
}
