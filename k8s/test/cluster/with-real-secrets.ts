import { randomBytes } from 'node:crypto';
import type { K8sObject } from '../k8s-object.ts';

/**
 * The rendered objects with every shipped `replace-me` Secret value replaced by a random one:
 * what a user does before the first apply (k8s/README, Security), and what our programs insist on
 * (they refuse the placeholders at start). One value per Secret key, so containers reading the
 * same key of the same Secret agree.
 */
export function withRealSecrets(objects: readonly K8sObject[]): K8sObject[] {
  const real = structuredClone(objects) as K8sObject[];
  for (const secret of real.filter((o) => o.kind === 'Secret')) {
    for (const [key, value] of Object.entries((secret.stringData ?? {}) as Record<string, string>)) {
      if (value.startsWith('replace-me')) secret.stringData[key] = `t${randomBytes(12).toString('hex')}`;
    }
  }
  return real;
}
