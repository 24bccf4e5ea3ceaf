// (B) Run a Mocha suite INSIDE code-server's real (Node) remote extension host.
// code-server must run with `--vscode-option enable-smoke-test-driver`, else the payload is ignored.
// The browser only hosts the workbench: VS Code's web workbench reads the `payload` query parameter
// (extensionDevelopmentPath / extensionTestsPath / extensionEnvironment), starts the remote extension
// host in development mode, runs the tests and calls window.codeAutomationExit(code) when it exits.
// usage: node exthost.mjs <port> <workspaceFolder> <extensionDevelopmentPath> <extensionTestsPath .js>
// env:   EXTHOST_ENV (JSON object of env vars for the extension host), EXTHOST_TEST_TIMEOUT_MS,
//        EXTHOST_LOG (file receiving the forwarded extension-host console), EXTHOST_VERBOSE
import fs from 'node:fs';
import util from 'node:util';
import { launch, lap, deadline } from './browser.mjs';

const [port, folder, devPath, testsPath] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}/`;
const logFile = process.env.EXTHOST_LOG;
const logLine = (t) => { if (logFile) fs.appendFileSync(logFile, t + '\n'); };

// The workbench page's configuration carries the remoteAuthority for vscode-remote:// URIs.
const html = await (await fetch(base, { signal: AbortSignal.timeout(30_000) })).text();
const m = html.match(/id="vscode-workbench-web-configuration" data-settings="([^"]*)"/);
if (!m) { console.error('no vscode-workbench-web-configuration in the workbench page'); process.exit(2); }
const cfg = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
const remote = (p) => `vscode-remote://${cfg.remoteAuthority}${p}`;
const payload = [
  ['extensionDevelopmentPath', remote(devPath)],
  ['extensionTestsPath', remote(testsPath)],
];
if (process.env.EXTHOST_ENV) payload.push(['extensionEnvironment', process.env.EXTHOST_ENV]);
const url = `${base}?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

const ctx = await launch();
let code = 1;
const limit = deadline(+(process.env.EXTHOST_TEST_TIMEOUT_MS || 240_000), 'the extension host to run the tests and exit');
try {
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.on('pageerror', (e) => logLine('pageerror: ' + e.message));
  page.on('response', (r) => { if (r.status() >= 400) logLine(`HTTP ${r.status()} ${r.url()}`); });
  // extension-host console output is forwarded to the renderer console (unformatted)
  page.on('console', async (msg) => {
    let t;
    try { t = util.format(...(await Promise.all(msg.args().map((a) => a.jsonValue())))); } catch { t = msg.text(); }
    logLine(t);
    // the suite tags its reporter lines with "[mocha] " (the host prefixes them with " INFO " etc.)
    const i = t.indexOf('[mocha] ');
    if (i >= 0) console.log('  ' + t.slice(i + 8).slice(0, 4000));
    else if (process.env.EXTHOST_VERBOSE) console.log('  [exthost]', t.slice(0, 2000));
  });
  const exited = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (c) => resolve(c)));
  lap('browser up, opening the workbench with the test payload');
  await page.goto(url, { timeout: 60_000 });
  code = await Promise.race([exited, limit]);
  lap(`extension host exited with code ${code}`);
} catch (e) {
  console.error('B RUN FAILED:', e.message || e);
  code = 2;
} finally {
  limit.cancel();
  await ctx.close();
}
process.exit(code);
