// The peer of bench_engine_rpc.py: enigma.js (delta on, its default) doing the same pipelined
// GetLayout run against the same simulated tenant. Installed with `npm install enigma.js ws`
// into a temporary directory by the benchmark; never committed.
//
// Usage: node bench_engine_rpc_peer.mjs <json-config>
//   config: {url, headers, appId, objectId, calls, window, warmup, schema}
// Prints one JSON line: {"client", "calls", "seconds", "cpu_seconds", "latencies_ms": [...]}.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const require = createRequire(`${process.cwd()}/`);
const enigma = require('enigma.js');
const WebSocket = require('ws');

const config = JSON.parse(process.argv[2]);
const schema = JSON.parse(readFileSync(config.schema, 'utf8'));

async function pipelined(object, calls, window, latencies) {
  let next = 0;
  async function worker() {
    while (next < calls) {
      next += 1;
      const started = performance.now();
      await object.getLayout();
      latencies.push(performance.now() - started);
    }
  }
  await Promise.all(Array.from({ length: window }, worker));
}

const session = enigma.create({
  schema,
  url: config.url,
  createSocket: (url) => new WebSocket(url, { headers: config.headers, perMessageDeflate: false }),
});
const global = await session.open();
const doc = await global.openDoc(config.appId);
const object = await doc.getObject(config.objectId);
await pipelined(object, config.warmup, config.window, []);
const latencies = [];
const started = performance.now();
const cpuStarted = process.cpuUsage();
await pipelined(object, config.calls, config.window, latencies);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
await session.close();
console.log(JSON.stringify({
  client: 'enigma.js',
  calls: config.calls,
  seconds,
  cpu_seconds: (cpu.user + cpu.system) / 1e6,
  latencies_ms: latencies,
}));
