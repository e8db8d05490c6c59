// Measuring aid: the CPU of the reporter tests' fake-run servers (`run-fixture.js --serve`, test/fixtures/reports/run-client.ts).
// No process waits for a server (its test worker exits first), so GNU time's user + sys of a vitest run leaves
// their CPU out. Preloaded, this appends each server's own CPU and that of the children it waited for (its runs'
// vitest workers), and its peak RSS, to $GT_SERVER_CPU_LOG when the server exits:
//   GT_SERVER_CPU_LOG=/tmp/servers.log NODE_OPTIONS="--require $PWD/bench/server-cpu.cjs" /usr/bin/time npx vitest run --project harness FILES
// Lines: pid, user s, system s, children's user s, children's system s, peak RSS in KiB. Other processes: nothing.
const fs = require('node:fs');

if (process.argv.includes('--serve') && process.env.GT_SERVER_CPU_LOG) {
  process.on('exit', () => {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const times = [11, 12, 13, 14].map((i) => Number(fields[i]) / 100); // utime, stime, cutime, cstime in ticks
    const peak = /VmHWM:\s*(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    fs.appendFileSync(process.env.GT_SERVER_CPU_LOG, `${process.pid} ${times.join(' ')} ${peak}\n`);
  });
  process.on('SIGTERM', () => process.exit(143)); // the worker's exit kills the server: let 'exit' run
}
