import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterPki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly frontProxyCaCert: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
  /** cert/key pairs by name: apiserver, admin, controller-manager, scheduler, kubelet, kubelet-serving, kube-proxy, apiserver-kubelet-client, front-proxy-client */
  pair(name: ClusterCertName): { cert: string; key: string };
}

export type ClusterCertName =
  | 'apiserver'
  | 'admin'
  | 'controller-manager'
  | 'scheduler'
  | 'kubelet'
  | 'kubelet-serving'
  | 'kube-proxy'
  | 'apiserver-kubelet-client'
  | 'front-proxy-client';

export interface ClusterPkiOptions {
  nodeName: string;
  /** Addresses the API server is reached at (its bind address, the kubernetes Service IP). */
  apiserverIps: readonly string[];
  nodeIp: string;
}

/**
 * Certificates generated per cluster run with openssl (EC P-256, valid 2 days): a cluster CA, a
 * front-proxy CA for the aggregation layer (KEDA's metrics API server), the ServiceAccount token
 * signing key, and one certificate per component with the identity RBAC and the Node authorizer
 * expect (system:node:<name> in system:nodes, system:kube-controller-manager, ...).
 */
export async function writeClusterPki(dir: string, options: ClusterPkiOptions): Promise<ClusterPki> {
  await mkdir(dir, { recursive: true });
  const reqConfig = join(dir, 'req.cnf');
  // An empty request config: no default extensions, only the ones given below.
  await writeFile(reqConfig, '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\n');
  const p = (name: string) => join(dir, name);
  // One openssl call per certificate: a new P-256 key, valid two days (a run lasts minutes); a CA
  // is self-signed, a leaf is signed by `signer`. Only the extensions differ.
  const certificate = (name: string, subject: string, extensions: string[], signer?: string) =>
    run('openssl', [
      'req',
      '-x509',
      '-config',
      reqConfig,
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      p(`${name}.key`),
      '-out',
      p(`${name}.crt`),
      '-days',
      '2',
      '-subj',
      subject,
      ...(signer ? ['-CA', p(`${signer}.crt`), '-CAkey', p(`${signer}.key`)] : []),
      ...extensions.flatMap((extension) => ['-addext', extension]),
    ]);
  const ca = (name: string, cn: string) =>
    certificate(name, `/CN=${cn}`, [
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
      'subjectKeyIdentifier=hash',
    ]);
  const leaf = (
    name: string,
    subject: string,
    usage: 'client' | 'server' | 'both',
    san: string[] = [],
    signer = 'ca',
  ) => {
    const eku = { client: 'clientAuth', server: 'serverAuth', both: 'serverAuth,clientAuth' }[usage];
    return certificate(
      name,
      subject,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        `extendedKeyUsage=${eku}`,
        ...(san.length > 0 ? [`subjectAltName=${san.join(',')}`] : []),
      ],
      signer,
    );
  };
  await Promise.all([
    ca('ca', 'scrapegrid-local-cluster-ca'),
    ca('front-proxy-ca', 'scrapegrid-local-front-proxy-ca'),
  ]);
  const apiserverSan = [
    ...options.apiserverIps.map((ip) => `IP:${ip}`),
    'IP:127.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ];
  await Promise.all([
    leaf('apiserver', '/CN=kube-apiserver', 'server', apiserverSan),
    leaf('admin', '/O=system:masters/CN=scrapegrid-admin', 'client'),
    leaf('controller-manager', '/CN=system:kube-controller-manager', 'client'),
    leaf('scheduler', '/CN=system:kube-scheduler', 'client'),
    leaf('kubelet', `/O=system:nodes/CN=system:node:${options.nodeName}`, 'client'),
    leaf('kubelet-serving', `/O=system:nodes/CN=system:node:${options.nodeName}`, 'server', [
      `IP:${options.nodeIp}`,
      `DNS:${options.nodeName}`,
    ]),
    leaf('kube-proxy', '/CN=system:kube-proxy', 'client'),
    leaf('apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', 'client'),
    leaf('front-proxy-client', '/CN=front-proxy-client', 'client', [], 'front-proxy-ca'),
    run('openssl', [
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      '-out',
      p('sa.key'),
    ]).then(() => run('openssl', ['pkey', '-in', p('sa.key'), '-pubout', '-out', p('sa.pub')])),
  ]);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    frontProxyCaCert: p('front-proxy-ca.crt'),
    serviceAccountKey: p('sa.key'),
    serviceAccountPub: p('sa.pub'),
    pair: (name) => ({ cert: p(`${name}.crt`), key: p(`${name}.key`) }),
  };
}
