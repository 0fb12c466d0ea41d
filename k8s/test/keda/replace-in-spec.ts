/**
 * A shipped job spec with each pattern replaced once, in order. Throws when a pattern is missing:
 * the shipped spec changed and `follower` (the test or the bench that edits it) must follow it.
 */
export function replaceInSpec(
  spec: string,
  replacements: readonly [RegExp, string][],
  follower: string,
): string {
  let out = spec;
  for (const [pattern, value] of replacements) {
    if (!pattern.test(out))
      throw new Error(`the shipped sharded spec has no ${pattern}: ${follower} must follow it`);
    out = out.replace(pattern, value);
  }
  return out;
}
