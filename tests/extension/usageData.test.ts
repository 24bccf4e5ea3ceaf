/**
 * The usage dashboard's data shaping (media/src/usageData.ts), its chart configurations and
 * theme colours (media/src/usageChartConfig.ts), and its messages and date ranges
 * (extension/src/ui/usageMessages.ts).
 */
import * as assert from 'node:assert/strict';
import { parseFromUsageWebview, rangeDays, reportRange } from '../../extension/src/ui/usageMessages';
import { readPalette, spendPerDayConfig, spendPerIntentConfig } from '../../media/src/usageChartConfig';
import {
  callTime,
  dayLabel,
  formatAxisUsd,
  gauges,
  intentLabel,
  spendPerDay,
  spendPerIntent,
  workspaceLabel,
} from '../../media/src/usageData';
import { budgetState, usageReport } from './budgetFixtures';

describe('usage ranges', () => {
  it('lists every calendar day of a range, oldest first, across month and year ends', () => {
    assert.deepEqual(rangeDays('2026-03-02', 4), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    assert.deepEqual(rangeDays('2027-01-01', 2), ['2026-12-31', '2027-01-01']);
    assert.equal(rangeDays('2026-11-22', 90).length, 90);
    assert.equal(new Set(rangeDays('2026-11-22', 90)).size, 90, 'no day twice across a daylight-saving change');
    assert.deepEqual(reportRange('2026-11-22', 7), { since: '2026-11-16', until: '2026-11-22' });
  });

  it('accepts only the messages the webview may send', () => {
    assert.deepEqual(parseFromUsageWebview({ type: 'range', days: 90 }), { type: 'range', days: 90 });
    assert.equal(parseFromUsageWebview({ type: 'range', days: 12 }), undefined);
    assert.deepEqual(parseFromUsageWebview({ type: 'setBudget', extra: 1 }), { type: 'setBudget' });
    assert.equal(parseFromUsageWebview({ type: 'exec', command: 'rm' }), undefined);
    assert.equal(parseFromUsageWebview('ready'), undefined);
    const summary = { empty: false, total: '$1.00', calls: 2, charts: 2, days: 7, models: ['a'], gauges: 1, topRows: 1 };
    assert.deepEqual(parseFromUsageWebview({ type: 'rendered', summary }), { type: 'rendered', summary });
    assert.equal(parseFromUsageWebview({ type: 'rendered', summary: { ...summary, models: [1] } }), undefined);
  });
});

describe('usage data', () => {
  it('spreads the spend over every day of the range, per model, most expensive first', () => {
    const d = spendPerDay(usageReport(), 7);
    assert.deepEqual(d.days, ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']);
    assert.deepEqual(d.series.map((s) => s.label), ['gpt-4o', 'gpt-4o-mini']);
    assert.deepEqual(d.series[0].values, [0, 0, 0.05, 0, 0, 0, 0.4]);
    assert.ok(Math.abs(d.series[1].total - 0.05) < 1e-12);
  });

  it('leaves out days outside the range and sums the models beyond six as "Other"', () => {
    const byModel = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`m${i}`, i / 100]));
    const d = spendPerDay(usageReport({ days: [{ day: '2026-11-22', byModel }, { day: '2026-10-01', byModel: { old: 9 } }] }), 7);
    assert.deepEqual(d.series.map((s) => s.label), ['m8', 'm7', 'm6', 'm5', 'm4', 'm3', 'Other (2 models)']);
    assert.ok(Math.abs((d.series.at(-1)?.values[6] ?? 0) - 0.03) < 1e-12);
  });

  it('names intents and sorts them by spend', () => {
    assert.equal(intentLabel('code_generation'), 'Code generation');
    assert.equal(intentLabel(null), 'Unclassified');
    const bars = spendPerIntent(usageReport({ intents: [{ key: 'general', costUsd: 0.01, calls: 1 }, { key: 'reasoning', costUsd: 0.2, calls: 2 }] }));
    assert.deepEqual(bars, [
      { label: 'Reasoning', usd: 0.2, calls: 2 },
      { label: 'General', usd: 0.01, calls: 1 },
    ]);
  });

  it('draws a gauge per budget: spent and reserved against the limit, capped at the full bar', () => {
    const now = new Date('2026-11-22T18:48:00+01:00');
    const [ok, over] = gauges(
      [budgetState({ spentUsd: 1, reservedUsd: 0.5, limitUsd: 5 }), budgetState({ name: 'monthly', spentUsd: 6, reservedUsd: 1, limitUsd: 5, percent: 120, level: 'exceeded', resetsAt: null })],
      now,
    );
    assert.equal(ok.spentWidth, 20);
    assert.equal(ok.reservedWidth, 10);
    assert.equal(ok.text, '$1.00 spent + $0.50 reserved of $5.00');
    assert.equal(ok.resets, 'resets in 5 h 12 min (23 Nov 00:00)');
    assert.equal(over.spentWidth, 100);
    assert.equal(over.reservedWidth, 0);
    assert.equal(over.level, 'exceeded');
    assert.equal(over.resets, '');
  });

  it('formats axis ticks, days, times and workspaces', () => {
    assert.equal(formatAxisUsd(0), '$0');
    assert.equal(formatAxisUsd(0.00051234), '$0.00051');
    assert.equal(formatAxisUsd(0.25), '$0.25');
    assert.equal(formatAxisUsd(12), '$12');
    assert.equal(formatAxisUsd(12.345), '$12.35');
    assert.equal(dayLabel('2026-11-05'), '5 Nov');
    assert.match(callTime('2026-11-22T10:15:00Z'), /^2[12] Nov \d\d:15$/);
    assert.equal(callTime('nonsense'), 'nonsense');
    assert.equal(workspaceLabel('/home/me/app'), 'app');
    assert.equal(workspaceLabel('C:\\src\\tool\\'), 'tool');
    assert.equal(workspaceLabel(null), '-');
  });
});

describe('usage charts', () => {
  const theme: Record<string, string> = {
    '--vscode-charts-foreground': '#cccccc',
    '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': ' #d18616 ',
    '--vscode-font-family': 'system-ui',
    '--vscode-font-size': '13px',
  };
  const palette = readPalette({ getPropertyValue: (name) => theme[name] ?? '' });

  it("takes its colours and font from the VS Code theme's variables, with fallbacks", () => {
    assert.equal(palette.foreground, '#cccccc');
    assert.equal(palette.grid, 'rgba(204, 204, 204, 0.5)');
    assert.deepEqual(palette.series.slice(0, 2), ['#3794ff', '#d18616']);
    assert.equal(palette.series.length, 6);
    assert.equal(palette.fontFamily, 'system-ui');
    assert.equal(palette.fontSize, 13);
    const bare = readPalette({ getPropertyValue: () => '' });
    assert.equal(bare.series[0], '#3794ff');
    assert.equal(bare.fontFamily, 'sans-serif');
  });

  it('stacks the spend per day by model in the theme colours', () => {
    const config = spendPerDayConfig(spendPerDay(usageReport(), 7), palette);
    assert.equal(config.type, 'bar');
    assert.deepEqual(config.data.labels?.slice(-2), ['21 Nov', '22 Nov']);
    assert.deepEqual(config.data.datasets.map((d) => [d.label, d.backgroundColor, d.stack]), [
      ['gpt-4o', '#3794ff', 'day'],
      ['gpt-4o-mini', '#d18616', 'day'],
    ]);
    const scales = config.options?.scales as Record<string, { stacked?: boolean; grid?: { color?: string }; ticks?: { color?: string } }>;
    assert.equal(scales.x.stacked, true);
    assert.equal(scales.y.stacked, true);
    assert.equal(scales.y.grid?.color, 'rgba(204, 204, 204, 0.5)');
    assert.equal(scales.x.ticks?.color, '#cccccc');
    assert.equal(config.options?.plugins?.legend?.labels?.color, '#cccccc');
  });

  it('draws the spend per intent as horizontal bars without a legend', () => {
    const config = spendPerIntentConfig(spendPerIntent(usageReport()), palette);
    assert.equal(config.options?.indexAxis, 'y');
    assert.deepEqual(config.data.labels, ['Code generation (4)', 'Debugging (5)']);
    assert.deepEqual(config.data.datasets[0].data, [0.3, 0.2]);
    const options = config.options as { plugins: { legend: { display?: boolean } } };
    const legend = options.plugins.legend;
    assert.equal(legend.display, false);
  });
});
