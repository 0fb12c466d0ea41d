// Logs one error in the pretty format and exits, for create-logger's test of how an error reads:
//   node test/pretty-error-program.ts <level>
import { createLogger } from '../src/index.ts';

class PollError extends Error {
  readonly code = 'GRID_POLL_FAILED';
  override readonly name = 'PollError';
}

const log = await createLogger({ name: 'pretty-error', format: 'pretty', level: process.argv[2] });
const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
log.warn({ err: new PollError('cannot reach the Grid', { cause }), reason: 'unreachable' }, 'poll failed');
log.error({ error: new Error('two\nlines') }, 'under error');
log.info('done');
