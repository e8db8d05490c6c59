// Where a run's wall time goes: a preload for every process of a run, and the printer of what it logged.
//
//   GT_TIMELINE=/tmp/tl.txt NODE_OPTIONS="--require ./bench/run-timeline.cjs" node bin/gt-conformance.js run
//   node bench/run-timeline.cjs /tmp/tl.txt
//
// Each process appends "<epoch ms> <pid> <script> <event>" lines: its start and exit (with its CPU), the
// embedded tenant's first and last request, and the check worker's messages to vitest that mark its progress
// (each suite file it fetches, with the worker's CPU so far, and the end of its files). Nothing of a request
// or an answer is logged. The printer shows each line in ms from the earliest start. docs/testing.md
// ("2026-12-03 noon") has what it showed.
'use strict';
const fs = require('node:fs');

const now = () => Math.round(performance.timeOrigin + performance.now());
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
};

function record(file) {
  const script = (process.argv[1] ?? '').split(/[\\/]/).pop();
  const log = (event, at = now()) => fs.appendFileSync(file, `${at} ${process.pid} ${script} ${event}\n`);
  log('start');

  const http = require('node:http');
  const emit = http.Server.prototype.emit;
  let requests = 0;
  let last = 0;
  http.Server.prototype.emit = function (event, ...args) {
    if (event === 'request') {
      if (requests++ === 0) log('first request');
      last = now();
    }
    return emit.call(this, event, ...args);
  };

  if (process.send) {
    const send = process.send.bind(process);
    process.send = (message, ...rest) => {
      const method = message && typeof message === 'object' ? message.m ?? message.type : undefined;
      const suite = method === 'fetch' && /[\\/]suites[\\/]([\w.-]+)\.test\.[jt]s/.exec(String(message.a?.[0]))?.[1];
      if (suite) log(`suite file ${suite}, worker CPU ${cpuMs()} ms`);
      if (method === 'testfileFinished') log(`suite files done, worker CPU ${cpuMs()} ms`);
      return send(message, ...rest);
    };
  }

  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    if (requests) log(`last request (${requests} served)`, last);
    log(`exit, CPU ${cpuMs()} ms`);
  };
  process.on('exit', end);
  // the check worker is ended by a signal
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => (end(), process.exit(0)));
}

function print(file) {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => {
    const [at, pid, script, ...event] = line.split(' ');
    return { at: Number(at), pid, script, event: event.join(' ') };
  });
  const t0 = Math.min(...lines.map((l) => l.at));
  for (const l of lines.sort((a, b) => a.at - b.at)) console.log(`${String(l.at - t0).padStart(6)} ms  ${`${l.script} ${l.pid}`.padEnd(28)} ${l.event}`);
}

if (require.main === module) {
  if (!process.argv[2]) {
    console.error('usage: node bench/run-timeline.cjs FILE (written by a run with GT_TIMELINE=FILE and this file preloaded)');
    process.exit(2);
  }
  print(process.argv[2]);
} else if (process.env.GT_TIMELINE) {
  record(process.env.GT_TIMELINE);
}
