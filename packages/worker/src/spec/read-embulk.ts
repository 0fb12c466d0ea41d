import type { EmbulkSpec } from './job-spec.ts';
import { refusePlaceholderValue } from './refuse-placeholder-value.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * `embulk: {out: …, extra: {exec, filters}}`. `out:` is Embulk's own output section, passed through
 * as the user wrote it, with `${env:NAME}` replaced from the environment so that passwords live in a
 * Kubernetes Secret, not in the spec (a value still the Secret's shipped `replace-me` placeholder is
 * an issue). The worker writes `in:` itself, so extra may not.
 */
export function readEmbulk(
  node: SpecNode,
  env: Readonly<Record<string, string | undefined>>,
): EmbulkSpec | undefined {
  if (node.missing) return undefined;
  if (node.keys(['out', 'extra']) === undefined) return undefined;
  const outNode = node.get('out');
  if (!outNode.require()) return undefined;
  const secrets = new Set<string>();
  const out = resolveEnvRefs(outNode, env, secrets);
  if (!outNode.isMap) return outNode.issue('must be a mapping (Embulk output settings)');
  if (typeof outNode.get('type').scalar !== 'string')
    outNode.get('type').issue('is required (the Embulk output plugin)');
  const extraNode = node.get('extra');
  let extra: Record<string, unknown> = {};
  if (!extraNode.missing) {
    if (extraNode.keys(['exec', 'filters']) === undefined) return undefined;
    extra = resolveEnvRefs(extraNode, env, secrets) as Record<string, unknown>;
  }
  // Longest first, so a secret that contains another is redacted whole.
  const sorted = [...secrets].sort((a, b) => b.length - a.length);
  return { out: out as Record<string, unknown>, extra, ...(sorted.length > 0 ? { secrets: sorted } : {}) };
}

// --- internal ---

const MIN_SECRET_LENGTH = 4;
const ENV_REF = /\$\{env:([^}]*)\}/g;

/** The value as plain JavaScript with every `${env:NAME}` in its strings replaced. */
function resolveEnvRefs(
  node: SpecNode,
  env: Readonly<Record<string, string | undefined>>,
  secrets: Set<string>,
): unknown {
  if (node.isMap) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of node.entries() ?? []) result[key] = resolveEnvRefs(child, env, secrets);
    return result;
  }
  if (node.isSeq) return (node.items() ?? []).map((item) => resolveEnvRefs(item, env, secrets));
  const value = node.scalar;
  if (typeof value !== 'string') return node.missing ? null : value;
  return value.replace(ENV_REF, (_, name: string) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      node.issue(`\${env:${name}}: not an environment variable name`);
      return '';
    }
    const resolved = env[name];
    if (resolved === undefined) {
      node.issue(`environment variable ${name} is not set (referenced as \${env:${name}})`);
      return '';
    }
    // Any value the spec reads from the environment, not only a password: the shipped Secret's
    // DB_USER is a placeholder as well.
    if (!refusePlaceholderValue(node, name, resolved)) return '';
    // Too short a value would blank out every occurrence of it in Embulk's log: not worth it.
    if (resolved.length >= MIN_SECRET_LENGTH) secrets.add(resolved);
    return resolved;
  });
}
