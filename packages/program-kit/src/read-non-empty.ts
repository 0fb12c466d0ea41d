/**
 * The text of a setting with surrounding blanks removed, or undefined when it is unset or blank:
 * the one rule for "empty" every value reader follows (an empty variable is as good as unset, so a
 * manifest can leave `value: ""` to mean the default).
 */
export function readNonEmpty(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  return trimmed ? trimmed : undefined;
}
