/**
 * What the status-bar cost meter shows: today's spend against the daily budget, the colour of
 * the worst budget level, and a Markdown tooltip with the top models, every budget and the
 * forecast.
 *
 * Pure module (no `vscode` import): unit-tested in plain Node. `ui/statusBar.ts` puts it on
 * screen.
 */
import { escapeMarkdownCell, formatMicroUsd, formatTokens, formatUsd } from '../common/format';
import type { BudgetLevel, BudgetName, BudgetState, BudgetStatus } from '../common/protocol';

/** Theme colours of the meter's background per level (`undefined`: the status bar's own). */
export const LEVEL_BACKGROUND: Readonly<Record<BudgetLevel, string | undefined>> = {
  ok: undefined,
  warning: 'statusBarItem.warningBackground',
  exceeded: 'statusBarItem.errorBackground',
};

const LEVEL_RANK: Readonly<Record<BudgetLevel, number>> = { ok: 0, warning: 1, exceeded: 2 };

/** How many models the tooltip lists before summing the rest. */
export const TOOLTIP_MODELS = 5;

const BUDGET_LABEL: Readonly<Record<BudgetName, string>> = {
  daily: 'Daily',
  monthly: 'Monthly',
  perRequest: 'Per request',
};

/** The budgets a status carries (older servers send none). */
function budgetsOf(status: Pick<BudgetStatus, 'budgets'>): readonly BudgetState[] {
  return Array.isArray(status.budgets) ? status.budgets : [];
}

/** The workspace the meter belongs to: its folder's name and path. */
export interface MeterWorkspace {
  name: string;
  path: string;
}

/**
 * The status with only the budgets that apply here: the global ones and this workspace's
 * (keyed by its folder name or path). `budgetChanged` carries every workspace's budgets.
 */
export function forWorkspace(status: BudgetStatus, workspace: MeterWorkspace | undefined): BudgetStatus {
  const strip = (p: string): string => p.replace(/[\\/]+$/, '');
  const mine = (b: BudgetState): boolean =>
    b.scope === 'global' ||
    (workspace !== undefined &&
      b.workspace !== null &&
      (b.workspace === workspace.name || strip(b.workspace) === strip(workspace.path)));
  return { ...status, budgets: budgetsOf(status).filter(mine) };
}

/** The budget today's spend is shown against: the global daily budget, else this workspace's. */
export function dailyBudget(status: Pick<BudgetStatus, 'budgets'>): BudgetState | undefined {
  const daily = budgetsOf(status).filter((b) => b.name === 'daily');
  return daily.find((b) => b.scope === 'global') ?? daily[0];
}

/**
 * Status-bar text: `$(graph) $0.42 / $5.00` against the global daily budget, `$(graph) $0.42 today`
 * without one. A workspace-only daily budget is compared with what that workspace spent.
 */
export function meterText(status: Pick<BudgetStatus, 'todayMicroUsd' | 'budgets'>): string {
  const daily = dailyBudget(status);
  if (daily === undefined) {
    return `$(graph) ${formatMicroUsd(status.todayMicroUsd)} today`;
  }
  const spent = daily.scope === 'global' ? formatMicroUsd(status.todayMicroUsd) : formatUsd(daily.spentUsd);
  return `$(graph) ${spent} / ${formatUsd(daily.limitUsd)}`;
}

/**
 * The worst level of the budgets that accumulate spend (daily and monthly, global and this
 * workspace's); the per-request cap says nothing about today's spend.
 */
export function meterLevel(status: Pick<BudgetStatus, 'budgets'>): BudgetLevel {
  let level: BudgetLevel = 'ok';
  for (const b of budgetsOf(status)) {
    if (b.name !== 'perRequest' && LEVEL_RANK[b.level] > LEVEL_RANK[level]) {
      level = b.level;
    }
  }
  return level;
}

/** `Daily`, `Monthly (workspace app)`, `Per request`. */
export function budgetLabel(b: Pick<BudgetState, 'name' | 'scope' | 'workspace'>): string {
  const label = BUDGET_LABEL[b.name];
  return b.scope === 'workspace' ? `${label} (workspace ${b.workspace ?? '?'})` : label;
}

/**
 * When a period ends: `in 5 h 12 min (23 Nov 00:00)`. The wall-clock part is read from the ISO
 * string itself, so it is the time in the budget's time zone whatever the machine's zone is.
 */
export function formatReset(resetsAt: string | null, now: Date): string {
  if (resetsAt === null) {
    return 'every request';
  }
  const when = Date.parse(resetsAt);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(resetsAt);
  if (Number.isNaN(when) || m === null) {
    return resetsAt;
  }
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const wall = `${Number(m[3])} ${months[Number(m[2]) - 1] ?? m[2]} ${m[4]}:${m[5]}`;
  const minutes = Math.max(0, Math.round((when - now.getTime()) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const inText =
    days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
  return `in ${inText} (${wall})`;
}

/** `42 %`, `< 1 %`, `137 %`. */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) {
    return '-';
  }
  if (percent > 0 && percent < 1) {
    return '< 1 %';
  }
  return `${Math.round(percent)} %`;
}

/**
 * The meter's tooltip (Markdown with theme icons, no HTML, nothing trusted): today's top models, every budget
 * with spent / reserved / limit and its reset, and the forecast.
 */
export function meterTooltip(status: BudgetStatus, now: Date = new Date()): string {
  const lines = [`**Smart Router: spend on ${escapeMarkdownCell(status.day)}**`, ''];
  if (status.byModel.length === 0) {
    lines.push('No calls today.');
  } else {
    lines.push('| Model | Calls | Tokens (in / out) | Cost |', '|:--|--:|--:|--:|');
    for (const m of status.byModel.slice(0, TOOLTIP_MODELS)) {
      lines.push(
        `| ${escapeMarkdownCell(m.model)} | ${formatTokens(m.calls)} | ` +
          `${formatTokens(m.inputTokens)} / ${formatTokens(m.outputTokens)} | ` +
          `${formatMicroUsd(m.costMicroUsd)} |`,
      );
    }
    const others = status.byModel.slice(TOOLTIP_MODELS);
    if (others.length > 0) {
      const calls = others.reduce((s, m) => s + m.calls, 0);
      const cost = others.reduce((s, m) => s + m.costMicroUsd, 0);
      lines.push(`| ${others.length} other models | ${formatTokens(calls)} | | ${formatMicroUsd(cost)} |`);
    }
    lines.push(
      `| **Today** | **${formatTokens(status.todayCalls)}** | | **${formatMicroUsd(status.todayMicroUsd)}** |`,
    );
  }
  lines.push('', `This month: **${formatMicroUsd(status.monthMicroUsd)}**`);

  const budgets = budgetsOf(status);
  lines.push('');
  if (budgets.length === 0) {
    lines.push('No budget set.');
  } else {
    lines.push('**Budgets**', '');
    for (const b of budgets) {
      if (b.name === 'perRequest') {
        lines.push(`- ${budgetLabel(b)}, ${b.mode}: at most **${formatUsd(b.limitUsd)}** a request`);
        continue;
      }
      // codicons (the tooltip supports theme icons): emoji fonts are not everywhere
      const flag = b.level === 'exceeded' ? ' $(error)' : b.level === 'warning' ? ' $(warning)' : '';
      const resets = b.resetsAt === null ? '' : `, resets ${formatReset(b.resetsAt, now)}`;
      lines.push(
        `- ${escapeMarkdownCell(budgetLabel(b))}, ${b.mode}${flag}: **${formatUsd(b.spentUsd)}** spent + ` +
          `${formatUsd(b.reservedUsd)} reserved of **${formatUsd(b.limitUsd)}** (${formatPercent(b.percent)})` +
          escapeMarkdownCell(resets),
      );
    }
  }
  if (typeof status.forecast === 'object') {
    lines.push(
      '',
      `Forecast at the current rate: **${formatUsd(status.forecast.dayUsd)}** today, ` +
        `**${formatUsd(status.forecast.monthUsd)}** this month` +
        (status.timeZone ? ` (${escapeMarkdownCell(status.timeZone)})` : '') +
        '.',
    );
  }
  lines.push('', 'Click to open the usage dashboard.');
  return lines.join('\n');
}
