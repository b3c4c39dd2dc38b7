// Qlik's current JavaScript SDK, @qlik/api (from npm, unmodified), against `viewer sim` with the
// host configs its documentation gives: a Qlik Cloud API key (REST items and spaces, then the
// app over QIX with the sheet/bookmark/field list mixins), a client-managed JWT virtual proxy
// ("windowscookie" with the JWT as access token), and the client-managed engine port with an
// exported client certificate ("pfx", default user header).
//
// Usage: node qlik_api_client.mjs '<json config>'
//   config: {mode: "cloud"|"jwt"|"pfx", url, appId, apiKey?, jwt?, pfxPath?, passphrase?}
// Prints one JSON line with what it saw; exits non-zero (with the error on stderr) on failure.

import { readFileSync } from 'node:fs';

const config = JSON.parse(process.argv[2]);
const { default: api } = await import('@qlik/api');

function hostConfig() {
  if (config.mode === 'cloud') return { authType: 'apikey', host: config.url, apiKey: config.apiKey };
  if (config.mode === 'jwt') {
    return { authType: 'windowscookie', host: config.url, getAccessToken: async () => config.jwt };
  }
  return {
    authType: 'pfx',
    host: config.url,
    pfx: readFileSync(config.pfxPath),
    passphrase: config.passphrase,
  };
}

// Node exits with 0 when nothing is left to wait for, even with main() unfinished (a socket that
// closed without settling a promise): say where it stopped, so such a run is a failure to read.
let step = 'start';
process.on('exit', (code) => {
  if (code === 0 && step !== 'done') {
    process.stderr.write(`the event loop emptied while waiting at step "${step}"\n`);
    process.exitCode = 2;
  }
});
async function main() {
  const out = {};
  const host = hostConfig();
  if (config.mode === 'cloud') {
    api.auth.setDefaultHostConfig(host);
    const first = await api.items.getItems({ resourceType: 'app', limit: 2 });
    out.items = first.data.data.map((item) => item.name);
    out.hasNext = Boolean(first.data.links?.next?.href);
    out.spaces = (await api.spaces.getSpaces({})).data.data.map((space) => space.name);
    out.appName = (await api.apps.getAppInfo(config.appId)).data.attributes.name;
  }
  const session = api.qix.openAppSession({ appId: config.appId, identity: 'qlik-api', hostConfig: host });
  step = 'getDoc';
  const doc = await session.getDoc();
  step = 'doc calls';
  out.title = (await doc.getAppLayout()).qTitle;
  out.sheets = (await doc.getSheetList()).map((sheet) => sheet.qMeta?.title ?? sheet.qData?.title);
  out.bookmarks = (await doc.getBookmarkList()).map((item) => item.qMeta?.title ?? item.qData?.title);
  out.fields = (await doc.getFieldList()).map((field) => field.qName);
  out.measures = (await doc.getMeasureList()).map((item) => item.qInfo.qId);
  step = 'close';
  await session.close();
  step = 'done';
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`${error.stack ?? JSON.stringify(error)}\n`);
  process.exit(1);
});
