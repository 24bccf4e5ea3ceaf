/**
 * The cost meter: today's spend against the daily budget in the status bar, coloured at the
 * warning and exceeded levels, with the top models, every budget and the forecast in its
 * tooltip (ui/meterView.ts). A click opens the usage dashboard.
 *
 * Asks `smartRouter/budgetStatus` (for this workspace) whenever the server (re)starts and
 * follows `smartRouter/budgetChanged` at once. While the server starts it spins; when it
 * failed it shows an error and a click opens the output.
 */
import * as vscode from 'vscode';
import type { StatusBarState } from '../api';
import { Commands, Extension, Requests } from '../common/constants';
import { describeError } from '../common/log';
import type { BudgetStatus, BudgetStatusParams } from '../common/protocol';
import type { ServerManager, ServerState } from '../common/server';
import { LEVEL_BACKGROUND, forWorkspace, meterLevel, meterText, meterTooltip, type MeterWorkspace } from './meterView';

export class CostMeter implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly budgetEmitter = new vscode.EventEmitter<BudgetStatus>();
  private readonly disposables: vscode.Disposable[] = [];
  private budget: BudgetStatus | undefined;
  /** Theme colour id of the background (ThemeColor does not expose it in VS Code 1.91). */
  private background: string | undefined;

  /** Fires with every budget the meter shows. */
  readonly onDidShowBudget = this.budgetEmitter.event;

  /**
   * @param workspace the workspace the asks come from (its path is what they send), so that
   *   this workspace's budgets show too and other workspaces' do not.
   */
  constructor(
    private readonly server: ServerManager,
    private readonly log: vscode.LogOutputChannel,
    private readonly workspace: () => MeterWorkspace | undefined = () => undefined,
  ) {
    this.item = vscode.window.createStatusBarItem(Extension.STATUS_BAR_ID, vscode.StatusBarAlignment.Right, 100);
    this.item.name = Extension.STATUS_BAR_NAME;
    this.showState(server.state);
    this.item.show();
    this.disposables.push(
      this.item,
      this.budgetEmitter,
      server.onDidChangeState((s) => this.showState(s)),
      server.onBudgetChanged((b) => this.showBudget(b)),
    );
  }

  /** What the item shows now (for tests). */
  snapshot(): StatusBarState {
    const tooltip = this.item.tooltip;
    return {
      text: this.item.text,
      tooltip: tooltip === undefined ? '' : typeof tooltip === 'string' ? tooltip : tooltip.value,
      background: this.background ?? null,
      command: typeof this.item.command === 'string' ? this.item.command : (this.item.command?.command ?? null),
    };
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private showState(s: ServerState): void {
    switch (s.state) {
      case 'starting':
      case 'stopped':
        this.item.text = `$(sync~spin) ${Extension.NAME}`;
        this.item.tooltip = 'Starting the Smart Router server…';
        this.item.command = Commands.SHOW_OUTPUT;
        this.setBackground(undefined);
        break;
      case 'failed':
        this.item.text = `$(error) ${Extension.NAME}`;
        this.item.tooltip = `${s.message}\n\nClick to show the output.`;
        this.item.command = Commands.SHOW_OUTPUT;
        this.setBackground('statusBarItem.errorBackground');
        break;
      case 'running':
        if (this.budget !== undefined) {
          this.showBudget(this.budget);
        }
        void this.refresh();
        break;
    }
  }

  /** Ask the server for today's spend. */
  async refresh(): Promise<void> {
    const client = await this.server.getClient();
    if (client === undefined) {
      return;
    }
    try {
      const workspace = this.workspace();
      const params: BudgetStatusParams = workspace === undefined ? {} : { workspace: workspace.path };
      this.showBudget(await client.sendRequest<BudgetStatus>(Requests.BUDGET_STATUS, params));
    } catch (error) {
      this.log.error(`Could not read today's spend: ${describeError(error)}`);
    }
  }

  private setBackground(id: string | undefined): void {
    this.background = id;
    this.item.backgroundColor = id === undefined ? undefined : new vscode.ThemeColor(id);
  }

  private showBudget(status: BudgetStatus): void {
    const budget = forWorkspace(status, this.workspace());
    this.budget = budget;
    if (this.server.state.state !== 'running') {
      return;
    }
    this.item.text = meterText(budget);
    const tooltip = new vscode.MarkdownString(meterTooltip(budget));
    tooltip.supportHtml = false;
    tooltip.supportThemeIcons = true;
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.command = Commands.SHOW_USAGE;
    this.setBackground(LEVEL_BACKGROUND[meterLevel(budget)]);
    this.budgetEmitter.fire(budget);
  }
}
