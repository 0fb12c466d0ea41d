import { type GridClient, GridError, type GridErrorCode } from '@scrapegrid/selenium-grid';
import { GridPollError, type GridPollFailure } from './grid-poll-error.ts';
import { GRID_QUERY } from './grid-query.ts';

export interface GridAnswer {
  /** The GraphQL `data` object. */
  readonly data: unknown;
  /** Ids of queued requests from the queue endpoint; undefined when it did not answer. */
  readonly queueRequestIds: readonly string[] | undefined;
}

/** What a poll reads from the Grid; tests and the bench give one without a Grid. */
export interface GridSource {
  /** One poll: the GraphQL query and the queue's ids, each bounded by the client's timeout. */
  fetch(): Promise<GridAnswer>;
  close(): Promise<void>;
}

/**
 * One poll over the one Grid client (@scrapegrid/selenium-grid): its error codes become the
 * `reason` label of selenium_grid_poll_errors_total.
 */
export function gridSource(client: GridClient): GridSource {
  return {
    async fetch() {
      const [data, queueRequestIds] = await Promise.all([
        client.graphql(GRID_QUERY).catch((error: unknown) => {
          throw _pollError(error);
        }),
        // Only the queue wait depends on this endpoint; its failure must not fail the poll.
        client.queueRequestIds().catch((error: unknown) => {
          if (error instanceof GridError) return undefined;
          throw error;
        }),
      ]);
      return { data, queueRequestIds };
    },
    close: () => client.close(),
  };
}

// --- internal ---

function _reason(code: GridErrorCode): GridPollFailure {
  switch (code) {
    case 'GRID_TIMEOUT':
      return 'timeout';
    case 'GRID_HTTP_STATUS':
      return 'http_status';
    case 'GRID_INVALID_RESPONSE':
      return 'invalid_response';
    default:
      return 'unreachable';
  }
}

function _pollError(error: unknown): unknown {
  if (!(error instanceof GridError)) return error;
  return new GridPollError(_reason(error.code), error.message, { cause: error });
}
