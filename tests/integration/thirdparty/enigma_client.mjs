// Qlik's own JavaScript engine client, enigma.js (from npm, unmodified, delta mode as by
// default), doing against `viewer sim` what apps built on it do on open: versions and the doc
// list, open an app, its layout, the sheet/bookmark/field lists, a chart's layout, a list box
// with a selection, a field selection and Evaluate; then a reload by a second session, whose
// `changed` event on the Doc the first session must get.
//
// Usage: node enigma_client.mjs '<json config>'
//   config: {url, headers, appId, schema}
// Prints one JSON line with what it saw; exits non-zero (with the error on stderr) on failure.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const enigma = require('enigma.js');
const WebSocket = require('ws');

const config = JSON.parse(process.argv[2]);
const schema = JSON.parse(readFileSync(config.schema, 'utf8'));

function open(identity) {
  const session = enigma.create({
    schema,
    url: `${config.url}/app/${config.appId}/identity/${identity}`,
    createSocket: (url) => new WebSocket(url, { headers: config.headers }),
  });
  return session;
}

async function items(doc, definition, listKey) {
  const lister = await doc.createSessionObject(definition);
  const layout = await lister.getLayout();
  await doc.destroySessionObject(layout.qInfo.qId);
  return layout[listKey].qItems;
}

async function main() {
  const out = {};
  const session = open('enigma-watcher');
  const global = await session.open();
  out.engineVersion = (await global.engineVersion()).qComponentVersion;
  out.docs = (await global.getDocList()).map((entry) => entry.qDocName);
  const doc = await global.openDoc(config.appId);
  const appLayout = await doc.getAppLayout();
  out.title = appLayout.qTitle;
  out.reloadBefore = appLayout.qLastReloadTime;
  out.sheets = (await items(doc, {
    qInfo: { qType: 'SheetList' },
    qAppObjectListDef: { qType: 'sheet', qData: { title: '/qMetaDef/title' } },
  }, 'qAppObjectList')).map((item) => item.qData.title);
  out.bookmarks = (await items(doc, {
    qInfo: { qType: 'BookmarkList' },
    qBookmarkListDef: { qType: 'bookmark', qData: { title: '/qMetaDef/title' } },
  }, 'qBookmarkList')).map((item) => item.qData.title);
  out.fields = (await items(doc, {
    qInfo: { qType: 'FieldList' },
    qFieldListDef: { qShowSystem: false },
  }, 'qFieldList')).map((item) => item.qName);

  const chart = await doc.getObject('bar-region');
  const chartLayout = await chart.getLayout();
  out.chartRows = chartLayout.qHyperCube.qSize.qcy;
  out.chartAxis = chartLayout.measureAxis?.show ?? null;

  const listbox = await doc.createSessionObject({
    qInfo: { qType: 'listbox' },
    qListObjectDef: {
      qDef: { qFieldDefs: ['Product'] },
      qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 20 }],
    },
  });
  const listed = await listbox.getLayout();
  const bikes = listed.qListObject.qDataPages[0].qMatrix.find((row) => row[0].qText === 'Bikes');
  out.listSelect = await listbox.selectListObjectValues('/qListObjectDef', [bikes[0].qElemNumber], false);
  const afterSelect = await listbox.getLayout();
  out.listStates = afterSelect.qListObject.qDataPages[0].qMatrix
    .map((row) => `${row[0].qText}:${row[0].qState}`);

  const region = await doc.getField('Region');
  out.fieldSelect = await region.selectValues([{ qText: 'North' }], false, false);
  out.selectedRegions = await doc.evaluate('GetFieldSelections(Region)');
  out.cardinal = await region.getCardinal();
  await doc.clearAll(false);
  out.total = (await doc.evaluateEx('Sum(Sales)')).qNumber;

  const changed = new Promise((resolve) => { doc.once('changed', resolve); });
  const reloader = open('enigma-reloader');
  const otherDoc = await (await reloader.open()).openDoc(config.appId);
  out.reloaded = await otherDoc.doReload(0, false, false);
  await Promise.race([
    changed,
    new Promise((_, reject) => { setTimeout(() => reject(new Error('no changed event')), 5000); }),
  ]);
  out.reloadAfter = (await doc.getAppLayout()).qLastReloadTime;
  await reloader.close();
  await session.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
