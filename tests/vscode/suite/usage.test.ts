// Budgets, the cost meter and the usage dashboard inside the real VS Code extension host, against the
// fake provider. Runs after smartRouter.test.ts (files run in name order) on the same ledger, so it
// compares with what the ledger says, never with a fresh ledger's zero.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, ask, fake, waitUntil, withTimeout, type AskResult, type BudgetStatus, type SmartRouterApi } from './helpers';
// pure formatting shared with the extension (no vscode import): the meter must show exactly this text
import { formatMicroUsd, formatUsd } from '../../../extension/src/common/format';
import type { UsageReport } from '../../../extension/src/api';

const PROMPT = 'Explain what a closure is';

function budgets(): { global: unknown; workspace: unknown } {
  const inspected = vscode.workspace.getConfiguration('smartRouter').inspect('budgets');
  return { global: inspected?.globalValue, workspace: inspected?.workspaceValue };
}

async function status(sr: SmartRouterApi): Promise<BudgetStatus> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return withTimeout(
    sr.client()!.sendRequest<BudgetStatus>('smartRouter/budgetStatus', folder ? { workspace: folder.uri.fsPath } : {}),
    10_000,
    'smartRouter/budgetStatus',
  );
}

async function askOk(prompt: string): Promise<AskResult> {
  const r = await ask(prompt);
  assert.ok(r, `smartRouter.ask("${prompt}") returned nothing`);
  return r;
}

suite('Budgets, cost meter and usage dashboard', () => {
  let sr: SmartRouterApi;

  suiteSetup(async function () {
    this.timeout(120_000);
    sr = await api();
    await fake('DELETE', '/__fake__/scenarios');
  });

  suiteTeardown(async () => {
    // leave no budget behind for the suites after this one
    await vscode.commands.executeCommand('smartRouter.setBudget', { budget: 'daily', usd: null });
    await vscode.commands.executeCommand('smartRouter.setBudget', { budget: 'monthly', scope: 'workspace', usd: null });
  });

  test("after an ask the meter shows exactly the ledger's spend for today", async function () {
    this.timeout(90_000);
    const r = await askOk(PROMPT);
    assert.ok(r.costMicroUsd > 0, 'the ask cost something');
    const ledger = await status(sr);
    assert.ok(ledger.todayMicroUsd >= r.costMicroUsd, `ledger today ${ledger.todayMicroUsd} >= this ask ${r.costMicroUsd}`);
    const expected = `$(graph) ${formatMicroUsd(ledger.todayMicroUsd)} today`;
    await waitUntil(() => sr.statusBar().text === expected, 10_000, `meter text ${JSON.stringify(expected)} (it shows ${JSON.stringify(sr.statusBar().text)})`);
    const bar = sr.statusBar();
    assert.strictEqual(bar.background, null, 'no budget: no colour');
    assert.strictEqual(bar.command, 'smartRouter.showUsage', 'a click opens the usage dashboard');
    assert.match(bar.tooltip, /\| gpt-4o-mini \|/);
    assert.match(bar.tooltip, /No budget set\./);
    assert.match(bar.tooltip, /Forecast at the current rate: \*\*\$[\d.]+\*\* today/);
  });

  test('Set Budget writes the user setting; the meter shows spend against it and turns warning, then error', async function () {
    this.timeout(90_000);
    const spent = (await status(sr)).todayMicroUsd;
    // 90 % used: warning (default thresholds 50/80/100)
    const warnUsd = Math.ceil(spent / 0.9) / 1e6;
    await withTimeout(
      vscode.commands.executeCommand('smartRouter.setBudget', { budget: 'daily', usd: warnUsd, mode: 'soft' }),
      10_000,
      'smartRouter.setBudget',
    );
    assert.deepStrictEqual((budgets().global as Record<string, unknown>).daily, { usd: warnUsd, mode: 'soft' });
    const warnText = `$(graph) ${formatMicroUsd(spent)} / ${formatUsd(warnUsd)}`;
    await waitUntil(
      () => sr.statusBar().text === warnText && sr.statusBar().background === 'statusBarItem.warningBackground',
      15_000,
      `meter ${JSON.stringify(warnText)} on the warning colour (it shows ${JSON.stringify(sr.statusBar())})`,
    );
    assert.match(sr.statusBar().tooltip, /^- Daily, soft \$\(warning\): \*\*\$[\d.]+\*\* spent \+ \$[\d.]+ reserved of \*\*\$[\d.]+\*\* \((8\d|9\d) %\), resets in \d/m);

    // a soft budget lets the next asks through (the earlier suites' asks make up the 90 %, so
    // passing the last 10 % may take more than one) and the meter turns to the error colour at once
    let after = await status(sr);
    for (let i = 0; i < 20 && after.todayMicroUsd <= warnUsd * 1e6; i++) {
      const r = await askOk(PROMPT);
      const before = after.todayMicroUsd;
      after = await status(sr);
      assert.ok(after.todayMicroUsd >= before + r.costMicroUsd);
    }
    const daily = after.budgets.find((b) => b.name === 'daily' && b.scope === 'global');
    assert.ok(daily, `budgetStatus lists the daily budget: ${JSON.stringify(after.budgets)}`);
    assert.strictEqual(daily.level, 'exceeded');
    const overText = `$(graph) ${formatMicroUsd(after.todayMicroUsd)} / ${formatUsd(warnUsd)}`;
    await waitUntil(
      () => sr.statusBar().text === overText && sr.statusBar().background === 'statusBarItem.errorBackground',
      15_000,
      `meter ${JSON.stringify(overText)} on the error colour (it shows ${JSON.stringify(sr.statusBar())})`,
    );
  });

  test("a workspace budget goes to the workspace's settings and shows in the meter's tooltip", async function () {
    this.timeout(60_000);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs with a folder open');
    await vscode.commands.executeCommand('smartRouter.setBudget', { budget: 'monthly', scope: 'workspace', usd: 100, mode: 'hard' });
    assert.deepStrictEqual(budgets().workspace, { workspaces: { [folder.name]: { monthly: { usd: 100, mode: 'hard' } } } });
    assert.ok((budgets().global as Record<string, unknown>).daily, 'the user settings keep the daily budget');
    const label = `Monthly (workspace ${folder.name}), hard`;
    await waitUntil(() => sr.statusBar().tooltip.includes(label), 15_000, `tooltip row "${label}": ${sr.statusBar().tooltip}`);
    const ws = (await status(sr)).budgets.find((b) => b.scope === 'workspace');
    assert.ok(ws && ws.spentUsd > 0, `the workspace budget counts this workspace's asks: ${JSON.stringify(ws)}`);
    assert.ok(sr.statusBar().tooltip.includes(`${label}: **${formatUsd(ws.spentUsd)}** spent`), sr.statusBar().tooltip);
    await vscode.commands.executeCommand('smartRouter.setBudget', { budget: 'monthly', scope: 'workspace', usd: null });
    assert.deepStrictEqual(budgets().workspace, { workspaces: {} });
    await waitUntil(() => !sr.statusBar().tooltip.includes(label), 15_000, 'the workspace budget gone from the tooltip');
  });

  test('Show Usage opens the dashboard, which draws the spend from the ledger', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('smartRouter.showUsage');
    // keep the chat (which the asks reveal) and the dashboard side by side, both in view
    const groupOf = (viewType: string) =>
      vscode.window.tabGroups.all.find((g) =>
        g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType)),
      );
    const usageGroup = await waitUntil(() => groupOf('smartRouter.usage'), 10_000, 'the dashboard tab');
    if (usageGroup === groupOf('smartRouter.chat')) {
      await vscode.commands.executeCommand('workbench.action.moveEditorToRightGroup');
    }
    const snap = await waitUntil(() => {
      const s = sr.usage();
      return s.open && s.report && s.rendered && s.rendered.total === formatMicroUsd(s.report.totalMicroUsd) ? s : undefined;
    }, 30_000, 'the dashboard to draw a report');
    const report = snap.report as UsageReport;
    const rendered = snap.rendered!;
    const ledger = await status(sr);
    assert.strictEqual(snap.days, 30);
    assert.ok(report.totalMicroUsd >= ledger.todayMicroUsd, `30 days ${report.totalMicroUsd} >= today ${ledger.todayMicroUsd}`);
    assert.strictEqual(report.groups.reduce((s, g) => s + g.costMicroUsd, 0), report.totalMicroUsd, 'per-model groups add up');
    assert.strictEqual(rendered.empty, false);
    assert.strictEqual(rendered.charts, 2, 'spend per day and per intent drawn on canvases');
    assert.strictEqual(rendered.days, 30);
    assert.ok(rendered.models.includes('gpt-4o-mini'), `series ${JSON.stringify(rendered.models)}`);
    assert.ok(rendered.gauges >= 1, 'the daily budget gauge');
    assert.ok(rendered.topRows >= 1, 'the most expensive requests');
  });

  test('the open dashboard redraws after the next ask', async function () {
    this.timeout(90_000);
    const before = sr.usage().report!.totalMicroUsd;
    const r = await askOk(PROMPT);
    assert.ok(sr.usage().visible, 'the dashboard stays in view beside the chat');
    const expected = formatMicroUsd(before + r.costMicroUsd);
    await waitUntil(
      () => sr.usage().rendered?.total === expected,
      20_000,
      `the dashboard total ${expected} (it shows ${JSON.stringify(sr.usage().rendered?.total)})`,
    );
  });

  test('removing the budget takes it off the meter', async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('smartRouter.setBudget', { budget: 'daily', usd: null });
    assert.ok(!('daily' in ((budgets().global as Record<string, unknown> | undefined) ?? {})));
    await waitUntil(
      () => / today$/.test(sr.statusBar().text) && sr.statusBar().background === null,
      15_000,
      `meter back to "... today" without colour (it shows ${JSON.stringify(sr.statusBar())})`,
    );
  });
});
