import type { K8sObject } from '../k8s-object.ts';

/**
 * A rule every rendered overlay must keep. `check` returns one message per violation (empty when
 * the rendering complies); `counterExample` breaks the rule in a copy of one real rendering, so a
 * test proves the check can fail.
 */
export interface Policy {
  name: string;
  check(objects: readonly K8sObject[]): string[];
  counterExample: {
    /** A variant name from renderedVariants(). */
    variant: string;
    breakIt(objects: K8sObject[]): void;
  };
}
