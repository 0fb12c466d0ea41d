#!/usr/bin/env node
// session-load: only wiring. Config, the optional cluster credentials, one runLoad, then the
// results file, the SVG and the table. Exit codes: 0 the run ended; 2 bad configuration; 1 other.
import { writeFile } from 'node:fs/promises';
import { loadKubeConfig, runMain } from '@scrapegrid/program-kit';
import { readCliConfig, USAGE } from './cli-config.ts';
import { formatTable } from './format-table.ts';
import { renderReplicasSvg } from './render-replicas-svg.ts';
import { replicaSeries } from './replica-series.ts';
import { runLoad } from './run-load.ts';

runMain('session-load', async () => {
  const command = readCliConfig(process.argv.slice(2), process.env);
  if (command.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { config } = command;
  const kubeConfig = config.cluster
    ? await loadKubeConfig({ kubeconfigPath: config.cluster.kubeconfig, purpose: 'session-load --namespace' })
    : undefined;
  const stop = new AbortController();
  // A first Ctrl-C ends the run as its cap does (sessions quit, the table printed); a second exits.
  process.once('SIGINT', () => {
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  process.stderr.write(
    `session-load: ${config.profile.name}, seed ${config.seed}, scale ${config.scale} against ${config.hubUrl}\n`,
  );
  const results = await runLoad({
    hubUrl: config.hubUrl,
    siteUrl: config.siteUrl,
    sitePages: config.sitePages,
    profile: config.profile,
    seed: config.seed,
    scale: config.scale,
    platformName: config.platformName,
    maxRequests: config.maxRequests,
    maxRunMs: config.maxRunMs,
    newSessionTimeoutMs: config.newSessionTimeoutMs,
    registrationSecret: config.registrationSecret,
    signal: stop.signal,
    onSession: (t) =>
      process.stderr.write(
        `session ${t.index}: ${t.outcome}, waited ${t.queueWaitMs ?? '-'} ms${t.failure ? `, ${t.failure.message}` : ''}\n`,
      ),
    ...(config.cluster && kubeConfig
      ? {
          cluster: {
            kubeConfig,
            namespace: config.cluster.namespace,
            selector: config.cluster.selector,
            ...(config.cluster.deployment ? { deployment: config.cluster.deployment } : {}),
          },
        }
      : {}),
  });
  if (config.out) await writeFile(config.out, `${JSON.stringify(results, null, 2)}\n`);
  if (config.svg && results.cluster) {
    const measure = config.cluster?.deployment ? 'status' : 'pods';
    const series = replicaSeries(config.name, results.cluster, { measure, fromMs: results.run.startedAt });
    await writeFile(config.svg, renderReplicasSvg([series]));
  }
  process.stdout.write(
    `${formatTable([{ name: config.name, summary: results.summary, ...(results.cost ? { cost: results.cost } : {}) }])}\n`,
  );
  return 0;
});
