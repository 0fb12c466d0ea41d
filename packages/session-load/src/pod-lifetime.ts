/** One browser pod from creation to disappearance, as the recorder saw it. Times are epoch ms. */
export interface PodLifetime {
  readonly name: string;
  readonly uid: string;
  /** The pod's IP once it has one: how a Grid node's URI is tied to its pod. */
  readonly ip?: string;
  /** metadata.creationTimestamp (the API server's clock, whole seconds). */
  readonly createdAt: number;
  /** When the recorder first saw it. */
  readonly firstSeenAt: number;
  /** The Ready condition's last transition to True. */
  readonly readyAt?: number;
  /** When its deletion was asked for: deletionTimestamp minus the grace period. */
  readonly deletionRequestedAt?: number;
  /** metadata.deletionTimestamp: the end of its grace period. */
  readonly deletionDeadline?: number;
  readonly graceSeconds?: number;
  /** When the recorder saw it vanish from the API (a DELETED event, or gone from a relist). */
  readonly goneAt?: number;
}

/** The fields of a Pod the recorder reads (what @kubernetes/client-node's V1Pod gives). */
export interface PodObject {
  readonly metadata?: {
    readonly name?: string;
    readonly uid?: string;
    readonly creationTimestamp?: Date | string;
    readonly deletionTimestamp?: Date | string;
    readonly deletionGracePeriodSeconds?: number;
  };
  readonly status?: {
    readonly podIP?: string;
    readonly conditions?: readonly {
      readonly type: string;
      readonly status: string;
      readonly lastTransitionTime?: Date | string;
    }[];
  };
}
