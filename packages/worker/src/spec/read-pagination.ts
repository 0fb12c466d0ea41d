import type { LimitsSpec, PaginationSpec } from './job-spec.ts';
import { readLocator } from './read-locator.ts';
import { SPEC_DEFAULTS } from './spec-defaults.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * `pagination: {next, follow, loadMore, maxPages, onUnfollowable}`. A next link is followed by its
 * href (`follow: link`, the default) or clicked (`follow: click`, for controls that navigate in a
 * click handler or update the page in place); `loadMore` is a button clicked until it is gone.
 */
export function readPagination(node: SpecNode, limits: LimitsSpec | undefined): PaginationSpec | undefined {
  if (node.missing) return undefined;
  const keys = node.keys(['next', 'follow', 'loadMore', 'maxPages', 'onUnfollowable']);
  if (keys === undefined) return undefined;
  const before = node.context.issues.length;
  const next = readLocator(node.get('next'));
  const loadMore = readLocator(node.get('loadMore'));
  if (!keys.includes('next') && !keys.includes('loadMore'))
    node.issue('must have next (a next-page control) or loadMore (a "load more" button)');
  const followNode = node.get('follow');
  const follow = followNode.oneOf(['link', 'click'] as const) ?? 'link';
  if (!followNode.missing && !keys.includes('next')) followNode.issue('only goes with next');
  const unfollowableNode = node.get('onUnfollowable');
  const onUnfollowable = unfollowableNode.oneOf(['fail', 'warn'] as const) ?? 'fail';
  if (!unfollowableNode.missing && !keys.includes('next')) unfollowableNode.issue('only goes with next');
  const maxPages =
    node.get('maxPages').integer({ min: 1 }) ?? limits?.maxPages ?? SPEC_DEFAULTS.limits.maxPages;
  if (node.context.issues.length > before) return undefined;
  return {
    ...(next === undefined ? {} : { next }),
    follow,
    ...(loadMore === undefined ? {} : { loadMore }),
    maxPages,
    onUnfollowable,
  };
}
