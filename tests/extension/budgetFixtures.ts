/**
 * Budget statuses and usage reports shaped as the server sends them (docs/protocol.md), for the
 * cost meter and usage dashboard tests.
 */
import type { BudgetState, BudgetStatus, UsageReport } from '../../extension/src/common/protocol';

export function budgetState(over: Partial<BudgetState> = {}): BudgetState {
  return {
    name: 'daily',
    scope: 'global',
    workspace: null,
    limitUsd: 5,
    spentUsd: 0.42,
    reservedUsd: 0.01,
    percent: 8.6,
    mode: 'hard',
    resetsAt: '2026-11-23T00:00:00+01:00',
    level: 'ok',
    ...over,
  };
}

export function budgetStatus(over: Partial<BudgetStatus> = {}): BudgetStatus {
  return {
    day: '2026-11-22',
    todayUsd: 0.42,
    todayMicroUsd: 420_000,
    todayCalls: 4,
    monthUsd: 3.51,
    monthMicroUsd: 3_510_000,
    byModel: [
      { model: 'gpt-4o', provider: 'openai', costUsd: 0.4, costMicroUsd: 400_000, calls: 1, inputTokens: 1200, outputTokens: 700 },
      { model: 'gpt-4o-mini', provider: 'openai', costUsd: 0.02, costMicroUsd: 20_000, calls: 3, inputTokens: 300, outputTokens: 900 },
    ],
    budgets: [],
    forecast: { dayUsd: 1.1, monthUsd: 12.4 },
    timeZone: 'Europe/Amsterdam',
    ...over,
  };
}

export function usageReport(over: Partial<UsageReport> = {}): UsageReport {
  return {
    since: '2026-11-16',
    until: '2026-11-22',
    totalUsd: 0.5,
    totalMicroUsd: 500_000,
    calls: 9,
    by: 'model',
    groups: [
      { key: 'gpt-4o', costUsd: 0.45, costMicroUsd: 450_000, calls: 3, inputTokens: 3000, outputTokens: 2000 },
      { key: 'gpt-4o-mini', costUsd: 0.05, costMicroUsd: 50_000, calls: 6, inputTokens: 900, outputTokens: 2700 },
    ],
    days: [
      { day: '2026-11-18', byModel: { 'gpt-4o': 0.05, 'gpt-4o-mini': 0.03 } },
      { day: '2026-11-22', byModel: { 'gpt-4o': 0.4, 'gpt-4o-mini': 0.02 } },
    ],
    intents: [
      { key: 'code_generation', costUsd: 0.3, calls: 4 },
      { key: 'debugging', costUsd: 0.2, calls: 5 },
    ],
    top: [
      {
        ts: '2026-11-22T10:15:00+01:00',
        model: 'gpt-4o',
        provider: 'openai',
        intent: 'code_generation',
        workspace: '/home/me/app',
        costUsd: 0.4,
        inputTokens: 1200,
        outputTokens: 700,
        latencyMs: 2300,
        status: 'ok',
      },
    ],
    budgets: [budgetState()],
    forecast: { dayUsd: 1.1, monthUsd: 12.4 },
    ...over,
  };
}
