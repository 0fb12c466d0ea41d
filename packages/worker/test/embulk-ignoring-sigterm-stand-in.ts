/**
 * A STAND-IN, not Embulk: a process that logs one line in Embulk's format and then ignores SIGTERM
 * and never ends. The real Embulk (a JVM) always ends on SIGTERM, so this fault, which the worker
 * must survive by SIGKILLing it after a grace period, cannot be produced with it.
 * Run as `node test/embulk-ignoring-sigterm-stand-in.ts run config.yml`, the way the worker runs Embulk.
 */
const stamp = () => new Date().toISOString().replace('T', ' ').replace('Z', ' +0000');
process.on('SIGTERM', () => {
  process.stdout.write(`${stamp()} [WARN] (main): SIGTERM received; ignoring it (stand-in)\n`);
});
process.stdout.write(
  `${stamp()} [INFO] (main): stand-in that ignores SIGTERM, started for ${process.argv.slice(2).join(' ')}\n`,
);
setInterval(() => {}, 60_000);
