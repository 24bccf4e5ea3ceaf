/**
 * The `smartRouter.budgets` setting as data: which budget a user picks, how an amount typed in
 * US dollars is read, and the new setting value with one budget set or removed (every other
 * key kept as it was).
 *
 * Pure module: unit-tested in plain Node; `commands/budget.ts` asks the questions and writes
 * the result with `WorkspaceConfiguration.update`.
 */
import { formatUsd } from './format';
import type { BudgetMode, BudgetName } from './protocol';

/** One limit as stored in the setting. */
export interface BudgetLimit {
  usd: number;
  mode: BudgetMode;
}

/** A limit as the user may write it (`mode` defaults to hard). */
export interface StoredLimit {
  usd: number;
  mode?: BudgetMode;
}

/** `smartRouter.budgets` (config.py `Budgets`); the server validates it. */
export interface BudgetSettings {
  daily?: StoredLimit;
  monthly?: StoredLimit;
  perRequest?: StoredLimit;
  workspaces?: Record<string, { daily?: StoredLimit; monthly?: StoredLimit }>;
  alertThresholds?: number[];
  webhookUrl?: string;
  timeZone?: string;
}

/** The budget the user wants to change. */
export type BudgetTarget =
  | { scope: 'global'; name: BudgetName }
  | { scope: 'workspace'; name: 'daily' | 'monthly'; workspace: string };

/** Largest budget accepted, in USD (a typo guard, not a policy). */
export const MAX_BUDGET_USD = 1_000_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj` without `key`. */
function without(obj: Json, key: string): Json {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));
}

/** A deep copy as plain JSON data (VS Code hands out read-only proxies). */
function plainCopy(value: unknown): Json {
  return isObject(value) ? (JSON.parse(JSON.stringify(value)) as Json) : {};
}

/**
 * Read an amount typed by the user: `5`, `12.50`, `$0.25`, `1,000`. Returns the amount,
 * `remove` for an empty input, or an error message that says what to type.
 */
export function parseUsd(input: string): { usd: number } | { remove: true } | { error: string } {
  if (input.trim() === '') {
    return { remove: true };
  }
  const text = input.trim().replace(/^\$\s*/, '').replace(/\s*(usd|\$)$/i, '');
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^\.\d+$/.test(text)) {
    return { error: 'Type an amount in US dollars, such as 5 or 12.50. Leave it empty to remove the budget.' };
  }
  const usd = Number(text.replace(/,/g, ''));
  if (usd > 0 && usd < 0.000001) {
    return { error: 'The smallest budget above $0 is $0.000001 (one micro-dollar).' };
  }
  if (usd > MAX_BUDGET_USD) {
    return { error: `The largest budget is $${MAX_BUDGET_USD.toLocaleString('en-US')}.` };
  }
  return { usd };
}

/** The limit currently stored for a target in a setting value, if any. */
export function currentLimit(setting: unknown, target: BudgetTarget): BudgetLimit | undefined {
  const holder =
    target.scope === 'global'
      ? setting
      : isObject(setting) && isObject(setting.workspaces)
        ? setting.workspaces[target.workspace]
        : undefined;
  const entry = isObject(holder) ? holder[target.name] : undefined;
  if (!isObject(entry) || typeof entry.usd !== 'number') {
    return undefined;
  }
  return { usd: entry.usd, mode: entry.mode === 'soft' ? 'soft' : 'hard' };
}

/**
 * The setting value with `target` set to `limit` (or removed when `limit` is undefined); every
 * other key, known or not, is kept. A workspace left without budgets is dropped from
 * `workspaces`.
 */
export function withBudget(setting: unknown, target: BudgetTarget, limit: BudgetLimit | undefined): Json {
  const next = plainCopy(setting);
  const value = limit === undefined ? undefined : { usd: limit.usd, mode: limit.mode };
  if (target.scope === 'global') {
    return value === undefined ? without(next, target.name) : { ...next, [target.name]: value };
  }
  const workspaces = isObject(next.workspaces) ? next.workspaces : {};
  const before = workspaces[target.workspace];
  const old = isObject(before) ? before : {};
  const entry = value === undefined ? without(old, target.name) : { ...old, [target.name]: value };
  return {
    ...next,
    workspaces:
      Object.keys(entry).length === 0
        ? without(workspaces, target.workspace)
        : { ...workspaces, [target.workspace]: entry },
  };
}

const NAMES: Readonly<Record<BudgetName, string>> = {
  daily: 'Daily budget',
  monthly: 'Monthly budget',
  perRequest: 'Per-request cap',
};

/** `Daily budget`, `This workspace's monthly budget (app)`. */
export function targetLabel(target: BudgetTarget): string {
  if (target.scope === 'global') {
    return NAMES[target.name];
  }
  return `This workspace's ${NAMES[target.name].toLowerCase()} (${target.workspace})`;
}

/** `$5.00 a day, hard`, `not set`. */
export function describeLimit(target: BudgetTarget, limit: BudgetLimit | undefined): string {
  if (limit === undefined) {
    return 'not set';
  }
  const per = target.name === 'daily' ? ' a day' : target.name === 'monthly' ? ' a month' : ' a request';
  return `${formatUsd(limit.usd)}${per}, ${limit.mode}`;
}
