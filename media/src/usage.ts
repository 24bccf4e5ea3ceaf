/**
 * The usage dashboard's script (bundled with Chart.js by esbuild to media/dist/usage.js).
 *
 * Draws a `smartRouter/usageReport` answer: the headline figures and forecast, spend per day
 * stacked by model and spend per intent (Chart.js, colours from the VS Code theme, redrawn
 * when the theme changes), the budget gauges and the most expensive requests. Every chart
 * also has a data table for screen readers. Text is set with `textContent` only. After each
 * drawing it tells the extension what it shows (`rendered`).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { formatMicroUsd, formatMs, formatTokens, formatUsd } from '../../extension/src/common/format';
import type { UsageReport } from '../../extension/src/common/protocol';
import {
  RANGES,
  type FromUsageWebview,
  type RangeDays,
  type RenderedSummary,
  type ToUsageWebview,
} from '../../extension/src/ui/usageMessages';
import { readPalette, spendPerDayConfig, spendPerIntentConfig } from './usageChartConfig';
import {
  callTime,
  dayLabel,
  gauges,
  intentLabel,
  spendPerDay,
  spendPerIntent,
  workspaceLabel,
  type DaySeries,
  type IntentBar,
} from './usageData';
import { byId, el, vsCodeApi } from './webviewCommon';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const vscode = vsCodeApi<FromUsageWebview>();

const dashboard = byId('dashboard', HTMLElement);
const statusEl = byId('status', HTMLElement);
const rangeButtons = [...document.querySelectorAll<HTMLButtonElement>('button.range')];

let current: { days: RangeDays; report: UsageReport } | undefined;
let charts: Chart[] = [];
/** Charts to draw once their canvases are in the document. */
let pendingCharts: (() => void)[] = [];

function button(label: string, message: FromUsageWebview, secondary = false): HTMLButtonElement {
  const b = el('button', secondary ? 'secondary' : '', label);
  b.type = 'button';
  b.addEventListener('click', () => vscode.postMessage(message));
  return b;
}

function card(title: string, className = ''): HTMLElement {
  const section = el('section', `card ${className}`.trim());
  section.append(el('h2', '', title));
  return section;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], className = ''): HTMLTableElement {
  const t = el('table', className);
  const head = el('tr');
  for (const h of headers) {
    const th = el('th', '', h);
    th.scope = 'col';
    head.append(th);
  }
  t.createTHead().append(head);
  const body = t.createTBody();
  for (const row of rows) {
    const tr = el('tr');
    for (const cell of row) {
      tr.append(el('td', '', cell));
    }
    body.append(tr);
  }
  return t;
}

/** A canvas for Chart.js with its data table for screen readers; the chart is drawn once attached. */
function chartBox(label: string, config: ChartConfiguration<'bar'>, data: HTMLTableElement, height: number): HTMLElement {
  const box = el('div', 'chart-box');
  box.style.height = `${height}px`;
  const canvas = el('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  box.append(canvas);
  data.classList.add('sr-only');
  const wrap = el('div');
  wrap.append(box, data);
  pendingCharts.push(() => {
    // canvases that cannot draw (no 2D context) keep only the table
    if (canvas.getContext('2d') !== null) {
      charts.push(new Chart(canvas, config));
    }
  });
  return wrap;
}

function figure(label: string, value: string, note = '', warn = false): HTMLElement {
  const f = el('div', warn ? 'figure warn' : 'figure');
  f.append(el('div', 'figure-label', label), el('div', 'figure-value', value));
  if (note !== '') {
    f.append(el('div', 'figure-note', note));
  }
  return f;
}

function summarySection(report: UsageReport, days: RangeDays, perDay: DaySeries): HTMLElement {
  const section = el('section', 'figures');
  const today = perDay.series.reduce((s, series) => s + (series.values.at(-1) ?? 0), 0);
  const daily = report.budgets.find((b) => b.name === 'daily' && b.scope === 'global');
  const monthly = report.budgets.find((b) => b.name === 'monthly' && b.scope === 'global');
  const perCall = report.calls > 0 ? formatUsd(report.totalUsd / report.calls) : '-';
  section.append(
    figure(`Last ${days} days`, formatMicroUsd(report.totalMicroUsd), `${formatTokens(report.calls)} calls, ${perCall} each on average`),
    figure(
      'Today so far',
      formatUsd(today),
      daily === undefined
        ? 'no daily budget'
        : `${today > daily.limitUsd ? 'over the' : 'of'} ${formatUsd(daily.limitUsd)} daily budget`,
      daily !== undefined && today > daily.limitUsd,
    ),
    figure(
      'Forecast today',
      formatUsd(report.forecast.dayUsd),
      daily !== undefined && report.forecast.dayUsd > daily.limitUsd ? 'above the daily budget at this rate' : 'at the recent rate',
      daily !== undefined && report.forecast.dayUsd > daily.limitUsd,
    ),
    figure(
      'Forecast this month',
      formatUsd(report.forecast.monthUsd),
      monthly === undefined
        ? 'at the recent rate'
        : report.forecast.monthUsd > monthly.limitUsd
          ? `above the ${formatUsd(monthly.limitUsd)} monthly budget`
          : `of ${formatUsd(monthly.limitUsd)} monthly budget`,
      monthly !== undefined && report.forecast.monthUsd > monthly.limitUsd,
    ),
  );
  return section;
}

function emptySection(days: RangeDays): HTMLElement {
  const section = el('section', 'card empty-state');
  section.append(
    el('h2', '', `No spend in the last ${days} days`),
    el(
      'p',
      '',
      'Ask something with Smart Router: Ask or in the chat: every call is recorded with its model, tokens and cost, ' +
        'and shows up here. To cap what you spend, set a daily or monthly budget.',
    ),
  );
  const actions = el('div', 'actions');
  actions.append(button('Open Chat', { type: 'openChat' }), button('Set Budget', { type: 'setBudget' }, true));
  section.append(actions);
  return section;
}

function perDaySection(perDay: DaySeries, days: RangeDays): HTMLElement {
  const section = card('Spend per day by model', 'wide');
  const rows = perDay.days.map((day, i) => [dayLabel(day), ...perDay.series.map((s) => formatUsd(s.values[i]))]);
  const data = table(['Day', ...perDay.series.map((s) => s.label)], rows);
  const label = `Spend per day over the last ${days} days, stacked by model: ${perDay.series
    .map((s) => `${s.label} ${formatUsd(s.total)}`)
    .join(', ')}`;
  section.append(chartBox(label, spendPerDayConfig(perDay, readPalette(getComputedStyle(document.body))), data, 260));
  return section;
}

function perIntentSection(bars: readonly IntentBar[]): HTMLElement {
  const section = card('Spend per intent');
  if (bars.length === 0) {
    section.append(el('p', 'muted', 'No intents recorded in this range.'));
    return section;
  }
  const data = table(
    ['Intent', 'Calls', 'Cost'],
    bars.map((b) => [b.label, formatTokens(b.calls), formatUsd(b.usd)]),
  );
  const label = `Spend per intent: ${bars.map((b) => `${b.label} ${formatUsd(b.usd)}`).join(', ')}`;
  const height = Math.max(140, 34 * bars.length + 40);
  section.append(chartBox(label, spendPerIntentConfig(bars, readPalette(getComputedStyle(document.body))), data, height));
  return section;
}

function budgetsSection(report: UsageReport): { section: HTMLElement; count: number } {
  const section = card('Budgets');
  const list = gauges(report.budgets, new Date());
  if (list.length === 0) {
    section.append(el('p', 'muted', 'No budget set: Smart Router spends without a limit.'));
    section.append(button('Set Budget', { type: 'setBudget' }, true));
    return { section, count: 0 };
  }
  for (const g of list) {
    const gauge = el('div', `gauge level-${g.level}`);
    const head = el('div', 'gauge-head');
    head.append(el('span', 'gauge-label', `${g.label}, ${g.mode}`), el('span', 'gauge-percent', g.percent));
    const bar = el('div', 'gauge-bar');
    bar.setAttribute('role', 'meter');
    bar.setAttribute('aria-label', `${g.label}: ${g.text}`);
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.setAttribute('aria-valuenow', String(Math.round(g.spentWidth + g.reservedWidth)));
    const spent = el('div', 'gauge-spent');
    spent.style.width = `${g.spentWidth}%`;
    const reserved = el('div', 'gauge-reserved');
    reserved.style.width = `${g.reservedWidth}%`;
    bar.append(spent, reserved);
    gauge.append(head, bar, el('div', 'gauge-text', g.resets === '' ? g.text : `${g.text} · ${g.resets}`));
    section.append(gauge);
  }
  return { section, count: list.length };
}

function topSection(report: UsageReport): HTMLElement {
  const section = card('Most expensive requests', 'wide');
  if (report.top.length === 0) {
    section.append(el('p', 'muted', 'No requests in this range.'));
    return section;
  }
  const wrap = el('div', 'table-wrap');
  wrap.append(
    table(
      ['When', 'Model', 'Intent', 'Workspace', 'Tokens in / out', 'Latency', 'Status', 'Cost'],
      report.top.map((c) => [
        callTime(c.ts),
        `${c.model} (${c.provider})`,
        intentLabel(c.intent),
        workspaceLabel(c.workspace),
        `${formatTokens(c.inputTokens)} / ${formatTokens(c.outputTokens)}`,
        formatMs(c.latencyMs),
        c.status,
        formatUsd(c.costUsd),
      ]),
      'calls',
    ),
  );
  section.append(wrap);
  return section;
}

function destroyCharts(): void {
  for (const c of charts) {
    c.destroy();
  }
  charts = [];
  pendingCharts = [];
}

function render(days: RangeDays, report: UsageReport): RenderedSummary {
  destroyCharts();
  // the fallbacks of every chart element (legend, ticks, tooltips): the editor's font and colour
  const palette = readPalette(getComputedStyle(document.body));
  Chart.defaults.font.family = palette.fontFamily;
  Chart.defaults.font.size = palette.fontSize;
  Chart.defaults.color = palette.foreground;
  const perDay = spendPerDay(report, days);
  const empty = report.calls === 0;
  const sections: HTMLElement[] = [];
  const budgets = budgetsSection(report);
  if (empty) {
    sections.push(emptySection(days));
    if (budgets.count > 0) {
      sections.push(budgets.section);
    }
  } else {
    const grid = el('div', 'grid');
    grid.append(perDaySection(perDay, days), perIntentSection(spendPerIntent(report)), budgets.section, topSection(report));
    sections.push(summarySection(report, days, perDay), grid);
  }
  dashboard.replaceChildren(...sections);
  dashboard.hidden = false;
  for (const draw of pendingCharts.splice(0)) {
    draw();
  }
  return {
    empty,
    total: formatMicroUsd(report.totalMicroUsd),
    calls: report.calls,
    charts: charts.length,
    days: perDay.days.length,
    models: perDay.series.map((s) => s.label),
    gauges: budgets.count,
    topRows: empty ? 0 : report.top.length,
  };
}

function setRange(days: RangeDays): void {
  for (const b of rangeButtons) {
    b.setAttribute('aria-pressed', String(Number(b.dataset.days) === days));
  }
}

function showStatus(text: string, kind: 'info' | 'error' | 'none'): void {
  statusEl.textContent = text;
  statusEl.hidden = kind === 'none';
  statusEl.classList.toggle('error', kind === 'error');
  statusEl.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

function onMessage(message: ToUsageWebview): void {
  setRange(message.days);
  switch (message.type) {
    case 'loading':
      showStatus(current === undefined ? 'Reading the ledger…' : 'Updating…', 'info');
      break;
    case 'error':
      showStatus(message.message, 'error');
      break;
    case 'report':
      current = { days: message.days, report: message.report };
      showStatus('', 'none');
      vscode.postMessage({ type: 'rendered', summary: render(message.days, message.report) });
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<ToUsageWebview>) => onMessage(event.data));
for (const b of rangeButtons) {
  const days = Number(b.dataset.days);
  const range = RANGES.find((r) => r === days);
  if (range !== undefined) {
    b.addEventListener('click', () => {
      setRange(range);
      vscode.postMessage({ type: 'range', days: range });
    });
  }
}
byId('refresh', HTMLButtonElement).addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
byId('set-budget', HTMLButtonElement).addEventListener('click', () => vscode.postMessage({ type: 'setBudget' }));

// VS Code switches the theme by changing the body's class and the --vscode-* variables: redraw
new MutationObserver(() => {
  if (current !== undefined) {
    render(current.days, current.report);
  }
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

vscode.postMessage({ type: 'ready' });
