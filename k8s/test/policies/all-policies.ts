import { apiTokenPolicy } from './api-token-policy.ts';
import { deletionCostAdmissionPolicy } from './deletion-cost-admission-policy.ts';
import { gracePeriodPolicy } from './grace-period-policy.ts';
import { gridAuthPolicy } from './grid-auth-policy.ts';
import { imageTagsPolicy } from './image-tags-policy.ts';
import { indexedJobShardsPolicy } from './indexed-job-shards-policy.ts';
import { jobTtlPolicy } from './job-ttl-policy.ts';
import { kedaPolicy } from './keda-policy.ts';
import { labelsPolicy } from './labels-policy.ts';
import type { Policy } from './policy.ts';
import { prestopPathPolicy } from './prestop-path-policy.ts';
import { rbacPolicy } from './rbac-policy.ts';
import { resourcesPolicy } from './resources-policy.ts';
import { securityContextPolicy } from './security-context-policy.ts';
import { sentinelPathPolicy } from './sentinel-path-policy.ts';
import { serviceSelectsPodsPolicy } from './service-selects-pods-policy.ts';
import { workerMetricsPolicy } from './worker-metrics-policy.ts';

/** Every policy the rendered overlays are held to. */
export const ALL_POLICIES: readonly Policy[] = [
  resourcesPolicy,
  securityContextPolicy,
  labelsPolicy,
  imageTagsPolicy,
  prestopPathPolicy,
  gracePeriodPolicy,
  serviceSelectsPodsPolicy,
  rbacPolicy,
  kedaPolicy,
  sentinelPathPolicy,
  workerMetricsPolicy,
  apiTokenPolicy,
  gridAuthPolicy,
  jobTtlPolicy,
  deletionCostAdmissionPolicy,
  indexedJobShardsPolicy,
];
