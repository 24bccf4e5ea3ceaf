/**
 * Messages between the usage dashboard's webview and the extension, the date range it shows,
 * and the checks on what the webview sends.
 *
 * Pure module (no `vscode` import): shared by ui/usagePanel.ts and media/src/usage.ts,
 * unit-tested in plain Node.
 */
import type { UsageReport } from '../common/protocol';

/** The ranges the dashboard offers, in days. */
export const RANGES = [7, 30, 90] as const;
export type RangeDays = (typeof RANGES)[number];
export const DEFAULT_RANGE: RangeDays = 30;

/** What the webview reports it shows, so that tests in a real VS Code can check it. */
export interface RenderedSummary {
  /** True when the range holds no spend and the empty state is shown. */
  empty: boolean;
  /** The headline total, e.g. `$0.000123`. */
  total: string;
  calls: number;
  /** Charts drawn on a canvas (0 where canvases cannot draw). */
  charts: number;
  /** Days on the spend-per-day chart. */
  days: number;
  /** Series of the spend-per-day chart, most expensive first. */
  models: string[];
  /** Budget gauges shown. */
  gauges: number;
  /** Rows of the top expensive requests table. */
  topRows: number;
}

export type ToUsageWebview =
  | { type: 'loading'; days: RangeDays }
  | { type: 'report'; days: RangeDays; report: UsageReport }
  | { type: 'error'; days: RangeDays; message: string };

export type FromUsageWebview =
  | { type: 'ready' }
  | { type: 'range'; days: RangeDays }
  | { type: 'refresh' }
  | { type: 'setBudget' }
  | { type: 'openChat' }
  | { type: 'rendered'; summary: RenderedSummary };

function isRange(value: unknown): value is RangeDays {
  return (RANGES as readonly unknown[]).includes(value);
}

function isSummary(value: unknown): value is RenderedSummary {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const s = value as Record<string, unknown>;
  return (
    typeof s.empty === 'boolean' &&
    typeof s.total === 'string' &&
    typeof s.calls === 'number' &&
    typeof s.charts === 'number' &&
    typeof s.days === 'number' &&
    Array.isArray(s.models) &&
    s.models.every((m) => typeof m === 'string') &&
    typeof s.gauges === 'number' &&
    typeof s.topRows === 'number'
  );
}

/** The message if it is one the webview may send, else undefined. */
export function parseFromUsageWebview(raw: unknown): FromUsageWebview | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'setBudget':
    case 'openChat':
      return { type: m.type };
    case 'range':
      return isRange(m.days) ? { type: 'range', days: m.days } : undefined;
    case 'rendered':
      return isSummary(m.summary) ? { type: 'rendered', summary: m.summary } : undefined;
    default:
      return undefined;
  }
}

/** `YYYY-MM-DD` of a local calendar date. */
export function isoDay(date: Date): string {
  const pad = (n: number): string => n.toString().padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The `days` calendar days ending with `today` (`YYYY-MM-DD`), oldest first. */
export function rangeDays(today: string, days: number): string[] {
  const [y, m, d] = today.split('-').map(Number);
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    // noon avoids daylight-saving edges; only the calendar date is used
    out.push(isoDay(new Date(y, m - 1, d - i, 12)));
  }
  return out;
}

/** `since`/`until` of `smartRouter/usageReport` for the last `days` days ending with `today`. */
export function reportRange(today: string, days: RangeDays): { since: string; until: string } {
  const all = rangeDays(today, days);
  return { since: all[0], until: today };
}
