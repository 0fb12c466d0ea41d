// The Kubernetes client's KubeConfig alone, behind a module of its own so that loadKubeConfig
// can import it on demand while the bundler still drops the rest of the client's exports (a
// dynamic import of the package itself would keep all of them: ~16 MB instead of ~4 MB).
export { KubeConfig } from '@kubernetes/client-node';
