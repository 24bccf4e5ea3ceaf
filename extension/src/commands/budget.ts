/**
 * `Smart Router: Set Budget`, `Smart Router: Show Usage`, and the budget alerts.
 *
 * Set Budget asks which budget (daily, monthly, per request, or this workspace's daily or
 * monthly), the amount in USD (empty removes it) and hard or soft, then writes the
 * `smartRouter.budgets` setting: the user's settings for global budgets, the workspace's for
 * workspace budgets, every other key kept. The server hears the change through
 * `didChangeConfiguration`. Called with a complete `SetBudgetArgs` it asks nothing (for
 * keybindings and tests).
 *
 * A `smartRouter/budgetAlert` shows a warning (an error at 100 %) with the actions
 * **Open Usage** and **Change Budget**.
 */
import * as vscode from 'vscode';
import {
  currentLimit,
  describeLimit,
  parseUsd,
  targetLabel,
  withBudget,
  type BudgetLimit,
  type BudgetTarget,
} from '../common/budgets';
import { Commands, Extension } from '../common/constants';
import { describeError } from '../common/log';
import type { BudgetAlertParams, BudgetMode, BudgetName, BudgetState } from '../common/protocol';
import type { ServerManager } from '../common/server';
import type { UsagePanel } from '../ui/usagePanel';

/** The setting's key inside the `smartRouter` section. */
export const BUDGETS_KEY = 'budgets';
export const OPEN_USAGE = 'Open Usage';
export const CHANGE_BUDGET = 'Change Budget';

/**
 * Arguments of `smartRouter.setBudget`. With `budget` only, the amount is asked; with `usd`
 * (a number, or null to remove) too, nothing is asked (`mode` defaults to the current one,
 * else hard). A `BudgetState` (from an alert) works as well.
 */
export interface SetBudgetArgs {
  budget: BudgetName;
  scope?: 'global' | 'workspace';
  usd?: number | null;
  mode?: BudgetMode;
}

/** What Set Budget wrote: where, and the setting's new value there. */
export interface SetBudgetResult {
  target: 'global' | 'workspace';
  budgets: Record<string, unknown>;
}

/** The workspace key of budgets: the first folder's name (the server matches it against the ask's folder). */
export function workspaceKey(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.name;
}

interface TargetItem extends vscode.QuickPickItem {
  target: BudgetTarget;
}

function readBudgets(target: BudgetTarget): unknown {
  const inspected = vscode.workspace.getConfiguration(Extension.CONFIG_SECTION).inspect(BUDGETS_KEY);
  return target.scope === 'global' ? inspected?.globalValue : inspected?.workspaceValue;
}

function targetFromArgs(args: unknown): BudgetTarget | undefined {
  if (typeof args !== 'object' || args === null) {
    return undefined;
  }
  const a = args as Partial<SetBudgetArgs> & Partial<BudgetState>;
  const name = a.budget ?? a.name;
  if (name !== 'daily' && name !== 'monthly' && name !== 'perRequest') {
    return undefined;
  }
  if (a.scope === 'workspace') {
    const workspace = workspaceKey();
    return workspace === undefined || name === 'perRequest' ? undefined : { scope: 'workspace', name, workspace };
  }
  return { scope: 'global', name };
}

async function pickTarget(): Promise<BudgetTarget | undefined> {
  const targets: BudgetTarget[] = [
    { scope: 'global', name: 'daily' },
    { scope: 'global', name: 'monthly' },
    { scope: 'global', name: 'perRequest' },
  ];
  const workspace = workspaceKey();
  if (workspace !== undefined) {
    targets.push({ scope: 'workspace', name: 'daily', workspace }, { scope: 'workspace', name: 'monthly', workspace });
  }
  const items: TargetItem[] = targets.map((target) => ({
    label: targetLabel(target),
    description: describeLimit(target, currentLimit(readBudgets(target), target)),
    detail:
      target.scope === 'workspace'
        ? 'Counts only the asks made in this workspace; stored in its settings.'
        : target.name === 'perRequest'
          ? 'The most one request may cost.'
          : 'Counts every ask in every workspace; stored in your user settings.',
    target,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Smart Router: Set Budget',
    placeHolder: 'Which budget to set or remove',
    ignoreFocusOut: true,
  });
  return picked?.target;
}

async function askAmount(target: BudgetTarget, current: BudgetLimit | undefined): Promise<number | null | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Smart Router: ${targetLabel(target)}`,
    prompt: 'Amount in US dollars. Leave empty to remove this budget.',
    placeHolder: 'e.g. 5 or 12.50',
    value: current === undefined ? '' : String(current.usd),
    ignoreFocusOut: true,
    validateInput: (v) => {
      const parsed = parseUsd(v);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (value === undefined) {
    return undefined;
  }
  const parsed = parseUsd(value);
  return 'usd' in parsed ? parsed.usd : null;
}

async function askMode(current: BudgetLimit | undefined): Promise<BudgetMode | undefined> {
  const items: (vscode.QuickPickItem & { mode: BudgetMode })[] = [
    {
      label: 'Hard',
      description: current?.mode === 'hard' ? 'current' : undefined,
      detail: 'Never spend past it: switch to a cheaper model that fits, or refuse the request.',
      mode: 'hard',
    },
    {
      label: 'Soft',
      description: current?.mode === 'soft' ? 'current' : undefined,
      detail: 'Only warn when it is reached; requests still go through.',
      mode: 'soft',
    },
  ];
  if (current?.mode === 'soft') {
    items.reverse();
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Smart Router: what happens at the limit',
    ignoreFocusOut: true,
  });
  return picked?.mode;
}

/** Run Set Budget; resolves with what was written, or undefined if the user gave up. */
export async function setBudget(args: unknown, log: vscode.LogOutputChannel): Promise<SetBudgetResult | undefined> {
  const target = targetFromArgs(args) ?? (await pickTarget());
  if (target === undefined) {
    return undefined;
  }
  const before = readBudgets(target);
  const current = currentLimit(before, target);
  const given = typeof args === 'object' && args !== null ? (args as Partial<SetBudgetArgs>) : {};
  let usd: number | null | undefined;
  let mode: BudgetMode | undefined;
  if (given.usd === null || typeof given.usd === 'number') {
    if (typeof given.usd === 'number' && 'error' in parseUsd(String(given.usd))) {
      throw new Error(`smartRouter.setBudget: ${String(given.usd)} is not a budget in USD.`);
    }
    usd = given.usd;
    mode = given.mode ?? current?.mode ?? 'hard';
  } else {
    usd = await askAmount(target, current);
    if (usd === undefined) {
      return undefined;
    }
    if (usd !== null) {
      mode = await askMode(current);
      if (mode === undefined) {
        return undefined;
      }
    }
  }
  const limit = usd === null || mode === undefined ? undefined : { usd, mode };
  const budgets = withBudget(before, target, limit);
  const configTarget =
    target.scope === 'global' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
  try {
    await vscode.workspace.getConfiguration(Extension.CONFIG_SECTION).update(BUDGETS_KEY, budgets, configTarget);
  } catch (error) {
    const message = `Smart Router: could not save the budget: ${describeError(error)}`;
    log.error(message);
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  const what = limit === undefined ? 'removed' : `set to ${describeLimit(target, limit)}`;
  log.info(`${targetLabel(target)} ${what}.`);
  vscode.window.setStatusBarMessage(`$(check) Smart Router: ${targetLabel(target)} ${what}`, 4000);
  return { target: target.scope, budgets };
}

/** Show a budget alert with its actions. */
export async function showBudgetAlert(alert: BudgetAlertParams): Promise<void> {
  const show = alert.threshold >= 100 ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  // the notification names its source (Smart Router) already
  const action = await show(alert.message, OPEN_USAGE, CHANGE_BUDGET);
  if (action === OPEN_USAGE) {
    await vscode.commands.executeCommand(Commands.SHOW_USAGE);
  } else if (action === CHANGE_BUDGET) {
    const args: SetBudgetArgs = { budget: alert.budget.name, scope: alert.budget.scope };
    await vscode.commands.executeCommand(Commands.SET_BUDGET, args);
  }
}

export function registerBudgetCommands(
  server: ServerManager,
  usage: UsagePanel,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.SET_BUDGET, (args?: unknown) => setBudget(args, log)),
    vscode.commands.registerCommand(Commands.SHOW_USAGE, () => usage.show()),
    server.onBudgetAlert((alert) => {
      log.warn(`Budget alert: ${alert.message}`);
      void showBudgetAlert(alert);
    }),
  ];
}
