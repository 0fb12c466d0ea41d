import * as k8s from '@kubernetes/client-node';
import type { K8sObject } from './k8s-object.ts';

/**
 * Field paths that the Kubernetes API does not know (a typo such as `readynessProbe`). The JSON
 * schemas above allow unknown properties, while `kubectl apply` validates strictly and the API
 * server would reject or silently drop them; the client library's generated models list every
 * field of every built-in type, which is enough to walk the object. Custom resources return [].
 */
export function unknownFields(object: K8sObject): string[] {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  if (!BUILT_IN_GROUPS.has(group ?? '')) return [];
  const root = `V1${object.kind}`;
  if (modelOf(root) === undefined) return [`no model for ${object.kind}`];
  return walk(object, root, object.kind);
}

// --- internal ---

const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'rbac.authorization.k8s.io',
  'networking.k8s.io',
  'admissionregistration.k8s.io',
]);

interface AttributeType {
  baseName: string;
  type: string;
}
interface Model {
  getAttributeTypeMap(): AttributeType[];
}

function modelOf(typeName: string): Model | undefined {
  const candidate = (k8s as unknown as Record<string, unknown>)[typeName];
  return typeof (candidate as Model | undefined)?.getAttributeTypeMap === 'function'
    ? (candidate as Model)
    : undefined;
}

function walk(value: unknown, typeName: string, path: string): string[] {
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array) {
    return Array.isArray(value) ? value.flatMap((item, i) => walk(item, array[1]!, `${path}[${i}]`)) : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map) {
    return isRecord(value)
      ? Object.entries(value).flatMap(([key, item]) => walk(item, map[1]!, `${path}.${key}`))
      : [];
  }
  const model = modelOf(typeName);
  // Primitives, IntOrString, Quantity and `any` have no fields of their own; the schema checks types.
  if (model === undefined || !isRecord(value)) return [];
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const type = fields.get(key);
    return type === undefined ? [`${path}.${key}`] : walk(item, type, `${path}.${key}`);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
