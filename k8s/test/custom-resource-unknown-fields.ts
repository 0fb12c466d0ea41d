import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { K8sObject } from './k8s-object.ts';

/**
 * Field paths of a KEDA or prometheus-operator object that its CRD does not declare (a typo in
 * `advanced.horizontalPodAutoscalerConfig`, an endpoint setting that does not exist). The model
 * packages validate types but allow unknown properties, while the API server prunes them silently;
 * their generated type declarations list every declared field, so this walks the object along them.
 */
export function customResourceUnknownFields(object: K8sObject): string[] {
  const model = ROOTS[`${object.apiVersion}/${object.kind}`];
  if (model === undefined) return [];
  const file = fileURLToPath(import.meta.resolve(model)).replace(/\.js$/, '.d.ts');
  return walk(object, { file, name: undefined }, object.kind);
}

// --- internal ---

const ROOTS: Record<string, string> = {
  'keda.sh/v1alpha1/ScaledObject': '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject',
  'keda.sh/v1alpha1/ScaledJob': '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob',
  'keda.sh/v1alpha1/TriggerAuthentication': '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication',
  'monitoring.coreos.com/v1/ServiceMonitor':
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
};

interface TypeRef {
  /** The .d.ts file that declares the type. */
  file: string;
  /** The exported name, or undefined for the file's own interface. */
  name: string | undefined;
}

interface Declaration {
  fields: Map<string, string>;
  imports: Map<string, TypeRef>;
}

const declarations = new Map<string, Declaration>();

function walk(value: unknown, ref: TypeRef, path: string): string[] {
  if (!isRecord(value)) return [];
  const declaration = declare(ref.file);
  return Object.entries(value).flatMap(([key, item]) => {
    const type = declaration.fields.get(key);
    return type === undefined ? [`${path}.${key}`] : walkType(item, type, declaration, `${path}.${key}`);
  });
}

function walkType(value: unknown, type: string, declaration: Declaration, path: string): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    return Array.isArray(value)
      ? value.flatMap((item, i) => walkType(item, array[1]!, declaration, `${path}[${i}]`))
      : [];
  }
  const map = /^\{\s*\[key: string\]: (.+?);?\s*\}$/.exec(type);
  if (map) {
    return isRecord(value)
      ? Object.entries(value).flatMap(([key, item]) => walkType(item, map[1]!, declaration, `${path}.${key}`))
      : [];
  }
  const imported = declaration.imports.get(type);
  // Primitives, literal unions and IntOrString are leaves: the JSON schema checks their values.
  return imported === undefined ? [] : walk(value, imported, path);
}

/** Fields of the first interface in a generated .d.ts file, and where its imported types live. */
function declare(file: string): Declaration {
  const cached = declarations.get(file);
  if (cached) return cached;
  const text = readFileSync(file, 'utf8');
  const imports = new Map<string, TypeRef>();
  for (const match of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";$/gm)) {
    const target = resolveDeclarationFile(file, match[2]!);
    for (const name of match[1]!.split(',').map((n) => n.trim())) {
      const [imported, local] = name.split(/\s+as\s+/);
      if (target) imports.set(local ?? imported!, { file: target, name: imported });
    }
  }
  const body = /^export interface \w+(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/m.exec(text)?.[1];
  // Some types are only an alias of another (KEDA's AuthSecretTargetRef = AuthTargetRef).
  const alias = body === undefined ? /^export type \w+ = (\w+);$/m.exec(text)?.[1] : undefined;
  const target = alias === undefined ? undefined : imports.get(alias);
  if (target !== undefined) {
    const aliased = declare(target.file);
    declarations.set(file, aliased);
    return aliased;
  }
  const fields = new Map<string, string>();
  // A type is one line, or a `{ [key: string]: … }` spread over lines up to the closing `    };`.
  for (const match of (body ?? '').matchAll(/^ {4}"([^"]+)"\??: (\{\n[\s\S]*?\n {4}\}|.+);$/gm)) {
    fields.set(match[1]!, match[2]!.replace(/\s+/g, ' '));
  }
  const declaration = { fields, imports };
  declarations.set(file, declaration);
  return declaration;
}

/** `./X.js` next to the file, or `package/sub/path` from the nearest node_modules holding it. */
function resolveDeclarationFile(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return join(dirname(from), specifier.replace(/\.js$/, '.d.ts'));
  const parts = specifier.split('/');
  const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const subpath = parts.slice(specifier.startsWith('@') ? 2 : 1).join('/');
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', packageName, `${subpath}.d.ts`);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
