import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The CustomResourceDefinitions our overlays' objects need, from the projects' own Go modules
 * (their zips carry the generated CRD YAML): KEDA's ScaledObject, ScaledJob and
 * TriggerAuthentication, and prometheus-operator's ServiceMonitor. Pinned here; `go mod download`
 * caches them.
 */
const SOURCES = [
  {
    module: 'github.com/kedacore/keda/v2',
    version: 'v2.21.0',
    path: 'config/crd/bases/keda.sh_scaledobjects.yaml',
  },
  {
    module: 'github.com/kedacore/keda/v2',
    version: 'v2.21.0',
    path: 'config/crd/bases/keda.sh_scaledjobs.yaml',
  },
  {
    module: 'github.com/kedacore/keda/v2',
    version: 'v2.21.0',
    path: 'config/crd/bases/keda.sh_triggerauthentications.yaml',
  },
  {
    module: 'github.com/prometheus-operator/prometheus-operator',
    version: 'v0.85.0',
    path: 'example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
  },
] as const;

export const CRD_NAMES = [
  'scaledobjects.keda.sh',
  'scaledjobs.keda.sh',
  'triggerauthentications.keda.sh',
  'servicemonitors.monitoring.coreos.com',
] as const;

/** Paths of the CRD files, downloaded into the Go module cache when missing. */
export async function customResourceDefinitionFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const source of SOURCES) {
    const { stdout } = await run(
      '/usr/local/go/bin/go',
      ['mod', 'download', '-json', `${source.module}@${source.version}`],
      {
        timeout: 300_000,
        maxBuffer: 1 << 20,
        cwd: '/',
      },
    );
    files.push(join((JSON.parse(stdout) as { Dir: string }).Dir, source.path));
  }
  return files;
}
