// (A) Budgets and usage, as a person meets them: set a daily budget with "Smart Router: Set Budget"
// (quick pick, amount with validation, hard/soft), ask, see the alert with its actions and the meter turn
// red, hover the meter, open the usage dashboard from the alert, switch its range, look at it in a light
// theme. Runs after ui/ask.mjs against the same code-server (the ledger already holds that ask).
// usage: node ui/usage.mjs <port> <workspaceFolder> <artifactsDir> [resultFile]
// Prints "N passed, N failed" last; writes the same line (+ details) to resultFile if given.
import fs from 'node:fs';
import path from 'node:path';
import { lap } from '../driver/browser.mjs';
import { checker, findWebviewFrame, finish, openPage, runCommand } from './lib.mjs';

const [port, folder, artifacts, resultFile] = process.argv.slice(2);
const PROMPT = 'Explain what a Python generator is'; // not asked before: a repeated question comes from the cache, at $0
fs.mkdirSync(artifacts, { recursive: true });
const shot = (name) => path.join(artifacts, name);
const results = []; // [name, error|null]
const logLines = [];
const note = (t) => { logLines.push(t); };

const { ctx, page } = await openPage({ width: 1280, height: 800 }, note);

const METER_TEXT = /\$\d[\d,]*\.\d+( today| \/ \$\d[\d,]*\.\d+)/;
const meter = page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: METER_TEXT }).first();
const quickInput = page.locator('.quick-input-widget .quick-input-box input');

/** "$(graph) $0.000123 today" or "$0.000123 / $0.0002" -> 123 micro-dollars spent. */
function spentMicro(text) {
  const m = text.match(/\$(\d[\d,]*)\.(\d+)/);
  if (!m) throw new Error(`no amount in the meter text ${JSON.stringify(text)}`);
  return Math.round(Number(m[1].replace(/,/g, '') + '.' + m[2]) * 1e6);
}

const check = checker(page, results, artifacts, 'usage-');

/** Whether the meter's background is the theme colour `variable` (e.g. --vscode-statusBarItem-errorBackground). */
async function meterHasThemeColour(variable) {
  const item = page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: METER_TEXT }).first();
  const [actual, expected] = await item.evaluate((n, v) => {
    const probe = document.createElement('div');
    probe.style.background = `var(${v})`;
    // the theme's variables live on the workbench element, not on the document
    (document.querySelector('.monaco-workbench') ?? document.body).append(probe);
    const want = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return [getComputedStyle(n).backgroundColor, want];
  }, variable);
  note(`meter background ${actual}, ${variable} ${expected}`);
  return actual === expected && !/rgba\(0, 0, 0, 0\)/.test(actual);
}

/** In an open quick pick: filter to `label` and take it once it is the focused row. */
async function pick(label) {
  await page.waitForFunction(() => document.querySelector('.quick-input-widget .quick-input-box input')?.value === '', undefined, { timeout: 15_000 });
  await quickInput.fill(label);
  await page.locator('.quick-input-list .monaco-list-row.focused .label-name', { hasText: new RegExp(`^${label}$`) }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

let budgetText = '';
let dashboard;
try {
  await check('Set Budget: quick pick, amount with validation, soft; the meter shows spend against it', async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await meter.waitFor({ timeout: 90_000 });
    const before = (await meter.innerText()).trim();
    const spent = spentMicro(before);
    lap(`cost meter: "${before}"`);
    if (spent <= 0) throw new Error(`the ledger should hold the ask of ui/ask.mjs; the meter shows ${JSON.stringify(before)}`);
    await page.locator('.monaco-workbench').click({ position: { x: 640, y: 300 } }).catch(() => {});

    await runCommand(page, 'Smart Router: Set Budget');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Per-request cap' }).first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('set-budget-pick.png') });
    await pick('Daily budget');

    // the amount: a wrong one is refused with a message saying what to type
    await page.waitForFunction(() => document.querySelector('.quick-input-widget .quick-input-box input')?.value === '', undefined, { timeout: 15_000 });
    await page.keyboard.type('five dollars', { delay: 5 });
    // (the prompt under the box also says "US dollars": the error is the one with an example)
    const validation = page.locator('.quick-input-widget .quick-input-message', { hasText: /such as 5 or 12\.50/ });
    await validation.waitFor({ timeout: 10_000 }).catch(() => { throw new Error('no validation message for "five dollars"'); });
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('set-budget-invalid.png') });
    // a budget 1.2 times what is spent (over 80 %: warning); the next ask passes it
    const usd = (Math.ceil(spent * 1.2) / 1e6).toFixed(6);
    await quickInput.fill(usd);
    await page.waitForFunction(() => !/such as 5/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''), undefined, { timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Only warn' }).first().waitFor();
    await pick('Soft');
    budgetText = `/ $${Number(usd).toString()}`;
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: budgetText }).first().waitFor({ timeout: 15_000 })
      .catch(async () => { throw new Error(`meter shows "${(await meter.innerText()).trim()}", expected "... ${budgetText}"`); });
    lap(`cost meter: "${(await meter.innerText()).trim()}"`);
    if (!(await meterHasThemeColour('--vscode-statusBarItem-warningBackground'))) {
      throw new Error('the meter is not on the warning colour at over 80 % of the budget');
    }
  });

  await check('an ask past the budget shows an alert with Open Usage and Change Budget, and turns the meter red', async () => {
    await runCommand(page, 'Smart Router: Ask');
    await page.waitForFunction(() => {
      const i = document.querySelector('.quick-input-widget .quick-input-box input');
      return !!i && i.value === '' && getComputedStyle(document.querySelector('.quick-input-widget')).display !== 'none';
    }, undefined, { timeout: 30_000 });
    await page.keyboard.type(PROMPT, { delay: 5 });
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /budget/i }).filter({ hasText: 'Open Usage' }).first();
    await toast.waitFor({ timeout: 60_000 }).catch(() => { throw new Error('no budget alert notification with "Open Usage"'); });
    const text = (await toast.innerText()).trim();
    note('alert: ' + text);
    lap(`alert: ${JSON.stringify(text.slice(0, 160))}`);
    if (!/Change Budget/.test(text)) throw new Error(`the alert has no "Change Budget" action: ${JSON.stringify(text)}`);
    const deadline = Date.now() + 15_000;
    while (!(await meterHasThemeColour('--vscode-statusBarItem-errorBackground'))) {
      if (Date.now() > deadline) throw new Error('the meter is not on the error colour after passing the budget');
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot('budget-alert.png') });
  });

  await check("the meter's tooltip lists the budget, its reset and the forecast", async () => {
    await page.mouse.move(10, 10);
    await meter.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover:not(.hidden)').filter({ hasText: /Budget/ }).first();
    let tip;
    try {
      await hover.waitFor({ state: 'visible', timeout: 15_000 });
      tip = (await hover.innerText()).trim();
      note('tooltip:\n' + tip);
      await page.waitForTimeout(400);
      await page.screenshot({ path: shot('meter-budget.png') });
    } finally {
      // take the hover away, or it covers the notification's buttons
      await page.mouse.move(640, 300);
      await page.waitForTimeout(300);
    }
    for (const re of [/Daily, soft/, /resets in/, /spent \+ \$[\d.]+ reserved of/, /Forecast at the current rate/, /gpt-4o-mini/]) {
      if (!re.test(tip)) throw new Error(`tooltip lacks ${re}: ${JSON.stringify(tip)}`);
    }
  });

  await check('Open Usage on the alert opens the dashboard with charts, gauges and the top requests', async () => {
    const open = page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Open Usage' }).first();
    if (await open.isVisible().catch(() => false)) {
      await open.click();
    } else {
      lap('the alert was gone: opening the dashboard from the command palette');
      await runCommand(page, 'Smart Router: Show Usage');
    }
    dashboard = await findWebviewFrame(page, /Spend per day by model/, 30_000, 'the usage dashboard');
    // charts drawn: canvases with a size, and the headline total
    await dashboard.waitForFunction(() => {
      const c = [...document.querySelectorAll('canvas')];
      return c.length === 2 && c.every((x) => x.width > 0 && x.height > 0);
    }, undefined, { timeout: 15_000 }).catch(() => { throw new Error('the two charts were not drawn'); });
    const txt = await dashboard.evaluate(() => document.body.innerText);
    note('dashboard text:\n' + txt);
    for (const re of [/Last 30 days\s*\$0\.\d+/, /Forecast today/, /Forecast this month/, /Spend per intent/, /Daily, soft/, /Most expensive requests/, /gpt-4o-mini \(openai\)/]) {
      if (!re.test(txt)) throw new Error(`dashboard lacks ${re}: ${JSON.stringify(txt.slice(0, 800))}`);
    }
    // nothing sticks out sideways
    const overflow = await dashboard.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) throw new Error(`the dashboard scrolls sideways by ${overflow}px`);
    // close the notifications so they do not cover the dashboard
    await page.keyboard.press('Escape');
    await page.waitForTimeout(600);
    await page.screenshot({ path: shot('usage.png') });
    await dashboard.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('usage-bottom.png') });
    await dashboard.evaluate(() => window.scrollTo(0, 0));
  });

  await check('the range picker asks for 7 days', async () => {
    if (!dashboard) throw new Error('no dashboard (previous step failed)');
    await dashboard.locator('button.range', { hasText: '7 days' }).click();
    await dashboard.waitForFunction(() => /Last 7 days/.test(document.body.innerText)
      && document.querySelector('button.range[aria-pressed="true"]')?.textContent === '7 days', undefined, { timeout: 15_000 });
    const days = await dashboard.evaluate(() => document.querySelectorAll('.card.wide table.sr-only tbody tr').length);
    if (days !== 7) throw new Error(`spend per day has ${days} days, expected 7`);
  });

  await check('the dashboard follows a change of colour theme', async () => {
    if (!dashboard) throw new Error('no dashboard (previous step failed)');
    const light = await dashboard.evaluate(() => document.body.classList.contains('vscode-light'));
    const [theme, kind] = light ? ['Dark Modern', 'vscode-dark'] : ['Light Modern', 'vscode-light'];
    // (the palette's first row for this text is "Browse Color Themes in Marketplace": click the command's own row)
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await quickInput.fill('>Preferences: Color Theme');
    await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }) }).first().click();
    await page.waitForFunction(() => document.querySelector('.quick-input-widget .quick-input-box input')?.value === '', undefined, { timeout: 15_000 }).catch(() => {});
    await quickInput.fill(theme);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: theme }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await dashboard.waitForFunction((k) => document.body.classList.contains(k), kind, { timeout: 15_000 });
    await page.waitForTimeout(800);
    const after = await dashboard.evaluate(() => ({
      fg: getComputedStyle(document.body).color,
      bg: getComputedStyle(document.body).backgroundColor,
      canvases: [...document.querySelectorAll('canvas')].filter((c) => c.width > 0).length,
    }));
    note(`${theme}: ` + JSON.stringify(after));
    if (after.canvases !== 2) throw new Error(`charts after the theme change: ${after.canvases}`);
    await page.screenshot({ path: shot(light ? 'usage-dark.png' : 'usage-light.png') });
  });
} finally {
  await ctx.close();
}

finish({ results, resultFile, artifacts, label: 'usage ', logName: 'ui-usage.log', logLines });
