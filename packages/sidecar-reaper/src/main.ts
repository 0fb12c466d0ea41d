#!/usr/bin/env node
// sidecar-reaper run from source (`node src/main.ts`); what ships is the pod-tools executable,
// which runs the same command. Only wiring.
import { runMain } from '@scrapegrid/program-kit';
import { sidecarReaperCli } from './sidecar-reaper-cli.ts';

runMain('sidecar-reaper', () =>
  sidecarReaperCli(process.argv.slice(2), process.env, [
    process.execPath,
    ...process.execArgv,
    process.argv[1] as string,
  ]),
);
