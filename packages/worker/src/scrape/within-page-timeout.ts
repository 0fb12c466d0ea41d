export class PageTimeout extends Error {
  readonly code = 'PAGE_TIMEOUT';
}

/**
 * Each page of a visit (load, wait, actions, read) within the page timeout plus a margin for the
 * browser's own page-load timeout to fire first; past it the session is presumed stuck (PageTimeout).
 * A visit that clicks through several pages calls `onPage` as each starts, and the clock starts
 * again. SIGTERM (`signal`) gives up at once.
 */
export function withinPageTimeout<T>(
  work: (onPage: () => void) => Promise<T>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let expire: (error: Error) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => expire(new PageTimeout(`page took longer than ${timeoutMs} ms`)),
      timeoutMs + 15_000,
    );
  };
  arm();
  return _abortable(
    Promise.race([work(arm), expired]).finally(() => clearTimeout(timer)),
    signal,
  );
}

// --- internal ---

function _abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort: (() => void) | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
  ]).finally(() => signal.removeEventListener('abort', onAbort!));
}
