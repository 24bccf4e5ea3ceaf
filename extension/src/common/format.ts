/**
 * Text the user sees: money, durations, token counts, the chat's routing line and footer
 * (the cost meter's text is in ui/meterView.ts).
 *
 * Pure module, shared by the extension and the chat webview; unit-tested in plain Node.
 */
import type { AskResult, ModelInfo, RoutedParams } from './protocol';

const MICRO_PER_USD = 1_000_000;

/**
 * Format integer micro-dollars exactly: `$0.000037`, `$0.0124`, `$0.51`, `$12.35`.
 *
 * Below one dollar every significant micro-dollar is shown (trailing zeros dropped, at least
 * two decimals); from one dollar on, cents.
 */
export function formatMicroUsd(micro: number): string {
  const value = Math.round(micro);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs >= MICRO_PER_USD) {
    const cents = Math.round(abs / 10_000);
    const dollars = Math.floor(cents / 100)
      .toString()
      .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${sign}$${dollars}.${(cents % 100).toString().padStart(2, '0')}`;
  }
  let decimals = abs.toString().padStart(6, '0').replace(/0+$/, '');
  if (decimals.length < 2) {
    decimals = decimals.padEnd(2, '0');
  }
  return `${sign}$0.${decimals}`;
}

/** Format a USD amount given as a float (estimates); rounds to the micro-dollar. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) {
    return '$?';
  }
  const micro = Math.round(usd * MICRO_PER_USD);
  if (micro === 0 && usd > 0) {
    return '<$0.000001';
  }
  return formatMicroUsd(micro);
}

/** `182 ms`, `1.2 s`, `1 min 5 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) {
    return '-';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  if (ms < 60_000) {
    const s = ms / 1000;
    return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  }
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
}

/** `1,234` */
export function formatTokens(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Escape text for a Markdown table cell (no HTML, no pipes, no line breaks). */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/[\\`*[\]|<>]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** The routing line shown as soon as the server has chosen a model. */
export function routedLine(r: Pick<RoutedParams, 'model' | 'provider' | 'estimatedCostUsd' | 'maxCostUsd'>): string {
  return (
    `${r.model} (${r.provider}) · estimated ${formatUsd(r.estimatedCostUsd)}` +
    (r.maxCostUsd > r.estimatedCostUsd ? `, at most ${formatUsd(r.maxCostUsd)}` : '')
  );
}

/** The footer under a finished answer. */
export function resultFooter(r: AskResult): string {
  if (r.cached) {
    return [`${r.model} (${r.provider})`, 'from the cache', '$0', `answered in ${formatMs(r.totalMs)}`].join(' · ');
  }
  const approx = r.usageEstimated ? '≈' : '';
  return [
    `${r.model} (${r.provider})`,
    `${approx}${formatTokens(r.inputTokens)} in / ${approx}${formatTokens(r.outputTokens)} out tokens`,
    `${approx}${formatMicroUsd(r.costMicroUsd)}`,
    `first token ${formatMs(r.ttftMs)}`,
    `total ${formatMs(r.totalMs)}`,
  ].join(' · ');
}

export interface ProviderSummary {
  provider: string;
  keyAvailable: boolean;
  models: string[];
}

/** The distinct providers that need a key (not local), sorted, with their models. */
export function providerSummaries(models: readonly ModelInfo[]): ProviderSummary[] {
  const byProvider = new Map<string, ProviderSummary>();
  for (const m of models) {
    if (m.local || m.tier === 'local') {
      continue;
    }
    const summary = byProvider.get(m.provider) ?? { provider: m.provider, keyAvailable: false, models: [] };
    summary.keyAvailable ||= m.keyAvailable;
    summary.models.push(m.id);
    byProvider.set(m.provider, summary);
  }
  return [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}
