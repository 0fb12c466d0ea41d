import { chown, mkdir } from 'node:fs/promises';

/**
 * The node's local storage for the overlays' `local` PersistentVolumes: the cluster has no
 * dynamic provisioner, so k8s/overlays/demo ships its PersistentVolume, pinned to the node, at a
 * directory here. The kubelet mounts a `local` volume only if its directory exists; this makes it,
 * owned by the user that writes it (the postgres image's 999). The data outlives `cluster.sh down`
 * on purpose (a database's files); remove the directory to start empty. Not under CLUSTER_RUNS_DIR:
 * every start sweeps each entry there as a stale run.
 */
export const LOCAL_VOLUMES = [
  { dir: '/var/lib/scrapegrid-volumes/demo-postgres', uid: 999, gid: 999 },
] as const;

/** Makes each LOCAL_VOLUMES directory (mode 0700, its owner); an existing one keeps its data. */
export async function prepareLocalVolumes(): Promise<string[]> {
  for (const { dir, uid, gid } of LOCAL_VOLUMES) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chown(dir, uid, gid);
  }
  return LOCAL_VOLUMES.map((v) => v.dir);
}
