import { execFile } from 'node:child_process';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface KubectlOptions {
  input?: string;
  timeoutMs?: number;
}

export class KubectlFailed extends Error {
  readonly code = 'KUBECTL_FAILED';
  readonly result: KubectlResult;
  constructor(message: string, result: KubectlResult) {
    super(message);
    this.result = result;
  }
}

export interface KubectlClient {
  /** Runs kubectl; rejects with KubectlFailed on a non-zero exit. */
  kubectl(args: readonly string[], options?: KubectlOptions): Promise<string>;
  /** The same, resolving with the exit code instead of rejecting (for expected refusals). */
  kubectlResult(args: readonly string[], options?: KubectlOptions): Promise<KubectlResult>;
}

/** The cluster's own kubectl (same release as its API server) with one kubeconfig. */
export function kubectlClient(kubectl: string, kubeconfig: () => string): KubectlClient {
  const kubectlResult = (args: readonly string[], options: KubectlOptions = {}) =>
    runKubectl(kubectl, kubeconfig(), args, options);
  return {
    kubectlResult,
    async kubectl(args, options) {
      const result = await kubectlResult(args, options);
      if (result.code !== 0)
        throw new KubectlFailed(
          `kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`,
          result,
        );
      return result.stdout;
    },
  };
}

// --- internal ---

function runKubectl(
  kubectl: string,
  kubeconfig: string,
  args: readonly string[],
  { input, timeoutMs = 120_000 }: KubectlOptions,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      kubectl,
      [`--kubeconfig=${kubeconfig}`, ...args],
      { timeout: timeoutMs, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}
