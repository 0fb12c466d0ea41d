#!/usr/bin/env node
// pod-tools: drain-hook and sidecar-reaper in one single executable. Only wiring: pick the
// program, import it (each one only when it runs: the reaper never loads the drain-hook's HTTP
// client, nor the Kubernetes client unless it has API access), run it. A function, not top-level
// await: the single executable is a CommonJS bundle.
import { isSea } from 'node:sea';
import { ConfigError, installExecutable, runMain } from '@scrapegrid/program-kit';
import { EXECUTABLE, PROGRAMS, pickProgram, USAGE } from './pick-program.ts';

const picked = pickProgram(process.argv0, process.argv.slice(2));
const name = picked.kind === 'program' ? picked.program : EXECUTABLE;

runMain(name, async () => {
  switch (picked.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'unknown':
      throw new ConfigError(`unknown command ${JSON.stringify(picked.command)} (see ${EXECUTABLE} --help)`);
    case 'install': {
      if (picked.args.length !== 1) throw new ConfigError(`usage: ${name} install <dir>`);
      for (const path of await installExecutable(picked.args[0] as string, EXECUTABLE, PROGRAMS)) {
        process.stdout.write(`${path}\n`);
      }
      return 0;
    }
    case 'program':
      if (picked.program === 'drain-hook') {
        const { drainHookCli } = await import('@scrapegrid/drain-hook/cli');
        return drainHookCli(picked.args, process.env);
      } else {
        const { sidecarReaperCli } = await import('@scrapegrid/sidecar-reaper/cli');
        // The init (when the reaper is PID 1) runs this same executable again, as the reaper.
        const self = isSea()
          ? [process.execPath, 'sidecar-reaper']
          : [process.execPath, ...process.execArgv, process.argv[1] as string, 'sidecar-reaper'];
        return sidecarReaperCli(picked.args, process.env, self);
      }
  }
});
