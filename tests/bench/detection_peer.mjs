// The peer of the detection benchmark: enigma.js (its defaults) holding one idle session open
// against the simulated tenant, as a wall display would. Installed with `npm install enigma.js ws`
// into a temporary directory by peer_detection.py; never committed.
//
// Usage: node detection_peer.mjs <json-config>     config: {url, headers, appId, schema, waitMs}
// Prints {"ready": true} once the app is open, then one line: {"noticed": "closed"|"suspended",
// "at": <epoch seconds>} when enigma.js tells its user about the fault, or {"noticed": null}
// after waitMs.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(`${process.cwd()}/`);
const enigma = require('enigma.js');
const WebSocket = require('ws');

const config = JSON.parse(process.argv[2]);
const schema = JSON.parse(readFileSync(config.schema, 'utf8'));

function report(noticed) {
  console.log(JSON.stringify({ noticed, at: Date.now() / 1000 }));
  process.exit(0);
}

const session = enigma.create({
  schema,
  url: config.url,
  createSocket: (url) => new WebSocket(url, { headers: config.headers }),
});
session.on('closed', () => report('closed'));
session.on('suspended', () => report('suspended'));
const global = await session.open();
await global.openDoc(config.appId);
console.log(JSON.stringify({ ready: true }));
setTimeout(() => report(null), config.waitMs);
