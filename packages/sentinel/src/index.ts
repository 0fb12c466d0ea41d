export { readSentinel } from './read-sentinel.ts';
export {
  DEFAULT_SENTINEL_PATH,
  makeSentinel,
  parseSentinel,
  SENTINEL_VERSION,
  type Sentinel,
  SentinelError,
  type SentinelStatus,
} from './sentinel.ts';
export { writeSentinel, writeSentinelSync } from './write-sentinel.ts';
