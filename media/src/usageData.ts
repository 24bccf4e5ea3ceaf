/**
 * The usage dashboard's numbers, shaped for drawing: spend per day stacked by model (every day
 * of the range, the top models and the rest summed as "Other"), spend per intent, the budget
 * gauges, and the axis and label texts.
 *
 * Pure module (no DOM): unit-tested in plain Node.
 */
import { formatUsd } from '../../extension/src/common/format';
import type { BudgetState, UsageReport } from '../../extension/src/common/protocol';
import { budgetLabel, formatPercent, formatReset } from '../../extension/src/ui/meterView';
import { rangeDays } from '../../extension/src/ui/usageMessages';

/** Models drawn as their own series; the rest are summed as "Other". */
export const MAX_MODEL_SERIES = 6;
export const OTHER = 'Other';

export interface Series {
  label: string;
  /** USD per day, aligned with `DaySeries.days`. */
  values: number[];
  total: number;
}

export interface DaySeries {
  /** `YYYY-MM-DD`, oldest first, every day of the range. */
  days: string[];
  /** Most expensive first; "Other" last. */
  series: Series[];
}

/** Spend per day stacked by model over the `count` days ending with the report's `until`. */
export function spendPerDay(report: Pick<UsageReport, 'until' | 'days'>, count: number): DaySeries {
  const days = rangeDays(report.until, count);
  const index = new Map(days.map((d, i) => [d, i]));
  const perModel = new Map<string, number[]>();
  for (const day of report.days) {
    const i = index.get(day.day);
    if (i === undefined) {
      continue;
    }
    for (const [model, usd] of Object.entries(day.byModel)) {
      const values = perModel.get(model) ?? new Array<number>(days.length).fill(0);
      values[i] += usd;
      perModel.set(model, values);
    }
  }
  const all = [...perModel.entries()]
    .map(([label, values]) => ({ label, values, total: values.reduce((s, v) => s + v, 0) }))
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  const series = all.slice(0, MAX_MODEL_SERIES);
  const rest = all.slice(MAX_MODEL_SERIES);
  if (rest.length > 0) {
    const values = days.map((_, i) => rest.reduce((s, r) => s + r.values[i], 0));
    series.push({ label: `${OTHER} (${rest.length} models)`, values, total: values.reduce((s, v) => s + v, 0) });
  }
  return { days, series };
}

/** `code_generation` -> `Code generation`; no intent -> `Unclassified`. */
export function intentLabel(key: string | null): string {
  if (key === null || key === '') {
    return 'Unclassified';
  }
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface IntentBar {
  label: string;
  usd: number;
  calls: number;
}

/** Spend per intent, most expensive first. */
export function spendPerIntent(report: Pick<UsageReport, 'intents'>): IntentBar[] {
  return report.intents
    .map((i) => ({ label: intentLabel(i.key), usd: i.costUsd, calls: i.calls }))
    .sort((a, b) => b.usd - a.usd || a.label.localeCompare(b.label));
}

export interface Gauge {
  label: string;
  mode: string;
  level: BudgetState['level'];
  /** Widths in percent of the bar (together at most 100). */
  spentWidth: number;
  reservedWidth: number;
  /** `$0.42 spent + $0.01 reserved of $5.00` */
  text: string;
  percent: string;
  resets: string;
}

/** One gauge per budget: spent and reserved against the limit. */
export function gauges(budgets: readonly BudgetState[], now: Date): Gauge[] {
  return budgets.map((b) => {
    const limit = b.limitUsd > 0 ? b.limitUsd : 1;
    const spentWidth = Math.min(100, (b.spentUsd / limit) * 100);
    const reservedWidth = Math.min(100 - spentWidth, (b.reservedUsd / limit) * 100);
    const reserved = b.reservedUsd > 0 ? ` + ${formatUsd(b.reservedUsd)} reserved` : '';
    const spentWord = b.name === 'perRequest' ? 'largest request' : 'spent';
    return {
      label: budgetLabel(b),
      mode: b.mode,
      level: b.level,
      spentWidth,
      reservedWidth,
      text: `${formatUsd(b.spentUsd)} ${spentWord}${reserved} of ${formatUsd(b.limitUsd)}`,
      percent: formatPercent(b.percent),
      resets: b.resetsAt === null ? '' : `resets ${formatReset(b.resetsAt, now)}`,
    };
  });
}

/** Axis ticks: `$0`, `$0.0005`, `$0.25`, `$12`. */
export function formatAxisUsd(usd: number): string {
  if (usd === 0) {
    return '$0';
  }
  if (Math.abs(usd) >= 1) {
    return `$${Number(usd.toFixed(2)).toString()}`;
  }
  return `$${Number(usd.toPrecision(2)).toString()}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-11-05` -> `5 Nov`. */
export function dayLabel(day: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  return m === null ? day : `${Number(m[2])} ${MONTHS[Number(m[1]) - 1] ?? m[1]}`;
}

/** A ledger timestamp in the viewer's time: `22 Nov 14:03`. */
export function callTime(ts: string): string {
  const t = new Date(ts);
  if (Number.isNaN(t.getTime())) {
    return ts;
  }
  const pad = (n: number): string => n.toString().padStart(2, '0');
  return `${t.getDate()} ${MONTHS[t.getMonth()]} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

/** The last part of a workspace path (the whole key if it has no separator). */
export function workspaceLabel(workspace: string | null): string {
  if (workspace === null || workspace === '') {
    return '-';
  }
  const parts = workspace.split(/[\\/]/).filter((p) => p !== '');
  return parts.at(-1) ?? workspace;
}
