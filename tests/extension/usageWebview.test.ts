/**
 * The usage dashboard's script (media/src/usage.ts, with Chart.js), bundled as for the real
 * webview and run in jsdom against the real HTML shell: what it shows for a report, the empty
 * state, errors, the range picker and its buttons. (jsdom has no 2D canvas: the charts are
 * checked here through their data tables, and drawn for real in tests/vscode.)
 */
import * as assert from 'node:assert/strict';
import { usageHtml } from '../../extension/src/ui/usageHtml';
import type { FromUsageWebview, RenderedSummary, ToUsageWebview } from '../../extension/src/ui/usageMessages';
import { budgetState, usageReport } from './budgetFixtures';
import { webviewLoader, type WebviewPage } from './webviewHarness';

// jsdom has no 2D canvas
const load = webviewLoader<FromUsageWebview, ToUsageWebview>(
  'usage',
  usageHtml,
  /Not implemented: HTMLCanvasElement'?s?\.?(prototype\.)? ?getContext/,
);

interface Harness extends WebviewPage<FromUsageWebview, ToUsageWebview> {
  text(selector: string): string;
  rows(selector: string): string[][];
  summary(): RenderedSummary;
}

function open(): Harness {
  const page = load();
  const { doc, posted } = page;
  return {
    ...page,
    text: (selector) => [...doc.querySelectorAll(selector)].map((n) => n.textContent).join(' | '),
    rows: (selector) =>
      [...doc.querySelectorAll(`${selector} tr`)].map((tr) => [...tr.children].map((c) => c.textContent)),
    summary: () => {
      const last = posted.filter((m) => m.type === 'rendered').at(-1);
      assert.ok(last, 'no rendered message');
      return last.summary;
    },
  };
}

describe('usage dashboard webview', function () {
  this.timeout(20_000);
  let h: Harness;

  beforeEach(() => {
    h = open();
  });

  afterEach(() => {
    h.dom.window.close();
    assert.deepEqual(h.errors, []);
  });

  it('has a strict CSP: no inline code, the script only with its nonce', () => {
    const csp = h.doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-n0nce'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(h.doc.querySelectorAll('script').length, 1);
    assert.equal(h.doc.querySelector('script')?.getAttribute('nonce'), 'n0nce');
  });

  it('asks for the report once loaded and says it is reading', () => {
    assert.deepEqual(h.posted, [{ type: 'ready' }]);
    h.send({ type: 'loading', days: 30 });
    assert.equal(h.text('#status'), 'Reading the ledger…');
    assert.equal((h.doc.getElementById('dashboard') as HTMLElement).hidden, true);
  });

  it('shows the headline figures and forecast of a report', () => {
    h.send({ type: 'report', days: 7, report: usageReport() });
    assert.equal((h.doc.getElementById('status') as HTMLElement).hidden, true);
    const figures = h.text('.figure');
    assert.match(figures, /Last 7 days\$0\.509 calls, \$0\.055556 each on average/);
    assert.match(figures, /Today so far\$0\.42of \$5\.00 daily budget/);
    assert.match(figures, /Forecast today\$1\.10at the recent rate/);
    assert.match(figures, /Forecast this month\$12\.40at the recent rate/);
    assert.equal(h.doc.querySelectorAll('.figure.warn').length, 0);
  });

  it('warns when the forecast passes a budget', () => {
    h.send({ type: 'report', days: 7, report: usageReport({ forecast: { dayUsd: 6, monthUsd: 80 }, budgets: [budgetState(), budgetState({ name: 'monthly', limitUsd: 50 })] }) });
    assert.equal(h.doc.querySelectorAll('.figure.warn').length, 2);
    assert.match(h.text('.figure.warn'), /above the daily budget at this rate.*above the \$50\.00 monthly budget/);
    h.send({ type: 'report', days: 7, report: usageReport({ budgets: [budgetState({ limitUsd: 0.1 })] }) });
    assert.match(h.text('.figure.warn'), /Today so far\$0\.42over the \$0\.10 daily budget/);
  });

  it('draws spend per day by model over every day of the range, with a data table', () => {
    h.send({ type: 'report', days: 7, report: usageReport() });
    const canvas = h.doc.querySelector('.card.wide canvas');
    assert.ok(canvas);
    assert.equal(canvas.getAttribute('role'), 'img');
    assert.match(canvas.getAttribute('aria-label') ?? '', /last 7 days, stacked by model: gpt-4o \$0\.45, gpt-4o-mini \$0\.05/);
    const rows = h.rows('.card.wide table.sr-only');
    assert.deepEqual(rows[0], ['Day', 'gpt-4o', 'gpt-4o-mini']);
    assert.equal(rows.length, 1 + 7);
    assert.deepEqual(rows.at(-1), ['22 Nov', '$0.40', '$0.02']);
    assert.deepEqual(rows[1], ['16 Nov', '$0.00', '$0.00']);
  });

  it('draws spend per intent', () => {
    h.send({ type: 'report', days: 7, report: usageReport() });
    const cards = [...h.doc.querySelectorAll('.card')];
    const intent = cards.find((c) => c.querySelector('h2')?.textContent === 'Spend per intent');
    assert.ok(intent);
    assert.deepEqual(
      [...intent.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
      [['Intent', 'Calls', 'Cost'], ['Code generation', '4', '$0.30'], ['Debugging', '5', '$0.20']],
    );
  });

  it('shows a gauge per budget, coloured by its level', () => {
    h.send({
      type: 'report',
      days: 7,
      report: usageReport({ budgets: [budgetState({ spentUsd: 1, reservedUsd: 0.5 }), budgetState({ name: 'monthly', level: 'exceeded', percent: 104, spentUsd: 52, limitUsd: 50, reservedUsd: 0 })] }),
    });
    const g = [...h.doc.querySelectorAll<HTMLElement>('.gauge')];
    assert.equal(g.length, 2);
    assert.ok(g[1].classList.contains('level-exceeded'));
    assert.equal(g[0].querySelector('.gauge-label')?.textContent, 'Daily, hard');
    assert.equal(g[0].querySelector<HTMLElement>('.gauge-spent')?.style.width, '20%');
    assert.equal(g[0].querySelector<HTMLElement>('.gauge-reserved')?.style.width, '10%');
    assert.match(g[0].querySelector('.gauge-text')?.textContent ?? '', /^\$1\.00 spent \+ \$0\.50 reserved of \$5\.00 · resets in /);
    assert.equal(g[1].querySelector('.gauge-percent')?.textContent, '104 %');
    assert.equal(g[1].querySelector('[role="meter"]')?.getAttribute('aria-valuenow'), '100');
  });

  it('offers Set Budget where no budget is set', () => {
    h.send({ type: 'report', days: 7, report: usageReport({ budgets: [] }) });
    const budgets = [...h.doc.querySelectorAll('.card')].find((c) => c.querySelector('h2')?.textContent === 'Budgets');
    assert.match(budgets?.textContent ?? '', /No budget set/);
    budgets?.querySelector('button')?.click();
    assert.deepEqual(h.posted.at(-1), { type: 'setBudget' });
  });

  it('lists the most expensive requests', () => {
    h.send({ type: 'report', days: 7, report: usageReport() });
    const rows = h.rows('table.calls');
    assert.deepEqual(rows[0], ['When', 'Model', 'Intent', 'Workspace', 'Tokens in / out', 'Latency', 'Status', 'Cost']);
    assert.deepEqual(rows[1].slice(1), ['gpt-4o (openai)', 'Code generation', 'app', '1,200 / 700', '2.30 s', 'ok', '$0.40']);
  });

  it('shows model names as text, never as markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    h.send({ type: 'report', days: 7, report: usageReport({ days: [{ day: '2026-11-22', byModel: { [evil]: 0.1 } }], top: [{ ...usageReport().top[0], model: evil }] }) });
    assert.equal(h.doc.querySelectorAll('img').length, 0);
    assert.ok(h.text('table.calls').includes(evil));
  });

  it('tells the extension what it drew', () => {
    h.send({ type: 'report', days: 7, report: usageReport() });
    assert.deepEqual(h.summary(), {
      empty: false,
      total: '$0.50',
      calls: 9,
      charts: 0, // no 2D canvas in jsdom
      days: 7,
      models: ['gpt-4o', 'gpt-4o-mini'],
      gauges: 1,
      topRows: 1,
    });
  });

  it('says what to do when the range holds no spend', () => {
    h.send({ type: 'report', days: 30, report: usageReport({ calls: 0, totalUsd: 0, totalMicroUsd: 0, days: [], intents: [], top: [], groups: [], budgets: [] }) });
    const empty = h.doc.querySelector('.empty-state');
    assert.match(empty?.textContent ?? '', /No spend in the last 30 days/);
    assert.match(empty?.textContent ?? '', /Smart Router: Ask/);
    assert.equal(h.doc.querySelectorAll('canvas').length, 0);
    const [chat, budget] = [...(empty?.querySelectorAll('button') ?? [])];
    chat.click();
    budget.click();
    assert.deepEqual(h.posted.slice(-2), [{ type: 'openChat' }, { type: 'setBudget' }]);
    assert.equal(h.summary().empty, true);
  });

  it('keeps the budget gauges in the empty state when budgets are set', () => {
    h.send({ type: 'report', days: 30, report: usageReport({ calls: 0, totalUsd: 0, totalMicroUsd: 0, days: [], intents: [], top: [] }) });
    assert.ok(h.doc.querySelector('.empty-state'));
    assert.equal(h.doc.querySelectorAll('.gauge').length, 1);
  });

  it('asks for another range and marks the chosen one', () => {
    const ninety = h.doc.querySelector<HTMLButtonElement>('button.range[data-days="90"]');
    assert.equal(h.doc.querySelector('button.range[aria-pressed="true"]')?.textContent, '30 days');
    ninety?.click();
    assert.deepEqual(h.posted.at(-1), { type: 'range', days: 90 });
    assert.equal(ninety?.getAttribute('aria-pressed'), 'true');
    h.send({ type: 'loading', days: 7 });
    assert.equal(h.doc.querySelector('button.range[aria-pressed="true"]')?.textContent, '7 days');
  });

  it('refreshes and opens Set Budget from the toolbar', () => {
    h.doc.getElementById('refresh')?.click();
    h.doc.getElementById('set-budget')?.click();
    assert.deepEqual(h.posted.slice(1), [{ type: 'refresh' }, { type: 'setBudget' }]);
  });

  it('shows an error, and keeps the last report while updating', () => {
    h.send({ type: 'error', days: 30, message: 'The Smart Router server is not running.' });
    assert.equal(h.doc.getElementById('status')?.getAttribute('role'), 'alert');
    assert.match(h.text('#status'), /server is not running/);
    h.send({ type: 'report', days: 7, report: usageReport() });
    h.send({ type: 'loading', days: 7 });
    assert.equal(h.text('#status'), 'Updating…');
    assert.equal((h.doc.getElementById('dashboard') as HTMLElement).hidden, false);
  });

  it('redraws when the theme changes', () => {
    h.send({ type: 'report', days: 7, report: usageReport() });
    const before = h.posted.filter((m) => m.type === 'rendered').length;
    const canvas = h.doc.querySelector('.card.wide canvas');
    h.doc.body.className = 'vscode-light';
    return new Promise<void>((resolve) => {
      setTimeout(() => {
        // the redraw rebuilt the sections (a new canvas) without asking the extension again
        assert.equal(h.posted.filter((m) => m.type === 'rendered').length, before);
        const redrawn = h.doc.querySelector('.card.wide canvas');
        assert.ok(redrawn && canvas && redrawn !== canvas, 'a new chart canvas after the theme change');
        resolve();
      }, 20);
    });
  });
});
