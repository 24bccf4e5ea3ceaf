// (A) What a person does: open VS Code (code-server's real workbench, the .vsix installed), see the
// cost meter, run "Smart Router: Ask" from the command palette, type a prompt, read the answer in the
// chat view, hover the meter. Screenshots go to the artifacts folder.
// usage: node ui/ask.mjs <port> <workspaceFolder> <artifactsDir> [resultFile]
// Prints "N passed, N failed" last; writes the same line (+ details) to resultFile if given.
import fs from 'node:fs';
import path from 'node:path';
import { lap } from '../driver/browser.mjs';
import { checker, findWebviewFrame, finish, openPage } from './lib.mjs';

const [port, folder, artifacts, resultFile] = process.argv.slice(2);
const PROMPT = 'Explain what a closure is';
const COMMAND = 'Smart Router: Ask';
// the footer under a finished answer: model, tokens, cost, timings
const FOOTER = /gpt-4o-mini.*tokens.*?(\$\d+\.\d+)/;
fs.mkdirSync(artifacts, { recursive: true });
const shot = (name) => path.join(artifacts, name);
const results = []; // [name, error|null]
const logLines = [];
const note = (t) => { logLines.push(t); };

const { ctx, page } = await openPage({ width: 1280, height: 800 });
page.on('pageerror', (e) => note('pageerror: ' + e.message));
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') note(`console.${m.type()}: ${m.text()}`); });
page.on('response', (r) => { if (r.status() >= 400) note(`HTTP ${r.status()} ${r.url()}`); });
page.on('requestfailed', (r) => note(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));

const check = checker(page, results, artifacts);

let meter;
let footerCost;
try {
  await check('ask from the command palette shows the answer, model and cost in the chat', async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    lap('workbench on screen');
    meter = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'today' }).first();
    await meter.waitFor({ timeout: 90_000 }).catch((e) => { throw new Error('cost meter (status-bar item with "today") never appeared: ' + e.message); });
    lap(`cost meter: "${(await meter.innerText()).trim()}"`);

    // command palette; wait until the *focused* row is our command (the list filters asynchronously and
    // Enter too early runs whatever row was first, seen with a cold profile)
    await page.locator('.monaco-workbench').click({ position: { x: 640, y: 300 } }).catch(() => {});
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill('>' + COMMAND);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: COMMAND }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    lap('ran "Smart Router: Ask"');

    // the prompt input box replaces the palette: wait until the input is empty and no longer in '>' mode
    await page.waitForFunction(() => {
      const w = document.querySelector('.quick-input-widget');
      const i = w?.querySelector('.quick-input-box input');
      return !!w && getComputedStyle(w).display !== 'none' && !!i && i.value === '';
    }, undefined, { timeout: 30_000 }).catch((e) => { throw new Error('no prompt input box after the command: ' + e.message); });
    await page.keyboard.type(PROMPT, { delay: 5 });
    await page.waitForFunction((p) => document.querySelector('.quick-input-widget .quick-input-box input')?.value === p, PROMPT, { timeout: 10_000 });
    await page.keyboard.press('Enter');
    lap('prompt sent');

    const frame = await findWebviewFrame(page, /Answer to: Explain what a closure is/, 60_000, 'the answer in the chat webview');
    lap('answer visible in the chat webview');
    // wait for the stream to settle: the cost footer ("... tokens · $0.000018 · ...") appears when the answer is complete
    const body = frame.locator('body');
    await frame.waitForFunction((re) => new RegExp(re).test(document.body.innerText), FOOTER.source, { timeout: 30_000 })
      .catch((e) => { throw new Error('no cost footer under the answer in the chat webview: ' + e.message); });
    const txt = await body.innerText();
    note('chat webview text:\n' + txt);
    footerCost = txt.match(FOOTER)[1];
    for (const [what, re] of [['model name', /gpt-4o-mini/], ['answer', /Answer to: Explain what a closure is/], ['cost footer', FOOTER]]) {
      const loc = frame.locator('.entry').getByText(re).first(); // the transcript (the model picker names models too)
      if (!(await loc.isVisible().catch(() => false))) throw new Error(`${what} (${re}) not visible in the chat webview; its text: ${JSON.stringify(txt.slice(0, 600))}`);
    }
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot('ask.png') });
    lap('screenshot ask.png');
  });

  await check('hovering the cost meter shows the spend tooltip', async () => {
    if (!meter) throw new Error('no cost meter (previous step failed early)');
    // the meter counts today's spend: after the first ask of a fresh ledger it equals the answer's cost
    if (footerCost) {
      await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: `${footerCost} today` }).first()
        .waitFor({ timeout: 10_000 })
        .catch(async () => { throw new Error(`cost meter shows "${(await meter.innerText()).trim()}", the answer cost ${footerCost}`); });
      lap(`cost meter: "${(await meter.innerText()).trim()}" = the answer's cost`);
    }
    await page.mouse.move(10, 10);
    await meter.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover:not(.hidden)').filter({ hasText: /\S/ }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const tip = (await hover.innerText()).trim();
    note('cost meter tooltip:\n' + tip);
    lap(`tooltip: ${JSON.stringify(tip.slice(0, 200))}`);
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot('cost-meter.png') });
    lap('screenshot cost-meter.png');
    if (!/gpt-4o-mini/.test(tip)) throw new Error(`tooltip does not name the model: ${JSON.stringify(tip)}`);
  });
} finally {
  await ctx.close();
}

finish({ results, resultFile, artifacts, label: '', logName: 'ui-ask.log', logLines });
