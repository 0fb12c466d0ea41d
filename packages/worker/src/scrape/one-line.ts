/**
 * An error as the one line the log and the manifest carry: its class name (unless a bare Error) and
 * the first line of its message, at most 500 characters. WebDriver messages run to many lines of
 * build info; the first says what happened.
 */
export function oneLine(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
      : String(error);
  return text.split('\n')[0]!.slice(0, 500);
}
