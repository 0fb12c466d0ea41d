import { envValue, imageName } from '../pod-templates.ts';

/** The programs in a container that call the Kubernetes API, as configured by the manifests. */
// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped.
export function apiProgramsIn(container: any): string[] {
  const programs: string[] = [];
  const reaper = String(container.command?.[0] ?? '').endsWith('/sidecar-reaper');
  // Without the pod name the reaper does not watch the pod (load-kube-access.ts).
  if (reaper && container.env?.some((e: { name: string }) => e.name === 'SIDECAR_REAPER_POD_NAME')) {
    programs.push('sidecar-reaper');
  }
  if (
    imageName(container.image ?? '') === 'scrapegrid/grid-exporter' &&
    envValue(container, 'GRID_EXPORTER_POD_DELETION_COST') === 'true'
  ) {
    programs.push('grid-exporter/pod-deletion-cost');
  }
  return programs;
}
