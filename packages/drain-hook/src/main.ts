#!/usr/bin/env node
// drain-hook run from source (`node src/main.ts`); what ships is the pod-tools executable, which
// runs the same command. Only wiring.
import { runMain } from '@scrapegrid/program-kit';
import { drainHookCli } from './drain-hook-cli.ts';

runMain('drain-hook', () => drainHookCli(process.argv.slice(2), process.env));
