import { stringify } from 'yaml';
import type { SchemaColumn } from '../output/manifest.ts';
import { recordSchema } from '../output/record-schema.ts';
import type { Shard } from '../shard/read-shard.ts';
import { shardedEmbulkOut } from '../shard/sharded-embulk-out.ts';
import type { JobSpec } from '../spec/job-spec.ts';

/** An Embulk json-parser column, as the built-in parser reads it. */
export interface EmbulkColumn {
  name: string;
  type: 'boolean' | 'long' | 'double' | 'string' | 'timestamp' | 'json';
  format?: string;
  timezone?: string;
}

/**
 * The Embulk config for the job, as plain YAML (v0.11 renders `.yml.liquid` only with JRuby, so the
 * worker resolves everything itself): `in:` reads every part under the data dir with the built-in
 * json parser and typed columns from the spec, `out:` is the user's, extra sections (exec, filters)
 * are added as written; a shard's run loads with mode replace_shard (shardedEmbulkOut). The result
 * holds resolved secrets: write it with mode 0600, outside data/.
 */
export function buildEmbulkConfig(spec: JobSpec, dataDir: string, shard?: Shard): string {
  if (spec.embulk === undefined) throw new Error('buildEmbulkConfig: the spec has no embulk section');
  const config = {
    in: {
      type: 'file',
      // A trailing slash makes the prefix a directory walked recursively: one task per part file.
      path_prefix: `${dataDir.replace(/\/+$/, '')}/`,
      parser: {
        type: 'json',
        // Embulk skips an invalid record by default; the worker loses nothing silently, so a record
        // Embulk cannot read fails the run and the JSON stays for a look.
        stop_on_invalid_record: true,
        default_timezone: 'UTC',
        columns: recordSchema(spec).map(embulkColumn),
      },
    },
    ...spec.embulk.extra,
    out: shardedEmbulkOut(spec.embulk.out, shard),
  };
  return stringify(config, { lineWidth: 0 });
}

/** The Embulk column for one record column (exported for the Embulk stand-in's tests). */
export function embulkColumn(column: SchemaColumn): EmbulkColumn {
  // Arrays have no Embulk column type but json; a url is text once resolved.
  if (column.all) return { name: column.name, type: 'json' };
  switch (column.type) {
    case 'string':
    case 'url':
      return { name: column.name, type: 'string' };
    case 'integer':
      return { name: column.name, type: 'long' };
    case 'number':
      return { name: column.name, type: 'double' };
    case 'boolean':
      return { name: column.name, type: 'boolean' };
    case 'json':
      return { name: column.name, type: 'json' };
    case 'timestamp':
      return { name: column.name, type: 'timestamp', format: column.format!, timezone: 'UTC' };
  }
}
