/**
 * The cost meter: today's spend in the status bar, the per-model breakdown in its tooltip.
 *
 * Asks `smartRouter/budgetStatus` whenever the server (re)starts and follows
 * `smartRouter/budgetChanged`. While the server starts it spins; when it failed it shows an
 * error and a click opens the output.
 */
import * as vscode from 'vscode';
import type { StatusBarState } from '../api';
import { Commands, Extension, Requests } from '../common/constants';
import { costMeterText, costMeterTooltip } from '../common/format';
import { describeError } from '../common/log';
import type { BudgetStatus } from '../common/protocol';
import type { ServerManager, ServerState } from '../common/server';

export class CostMeter implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly budgetEmitter = new vscode.EventEmitter<BudgetStatus>();
  private readonly disposables: vscode.Disposable[] = [];
  private budget: BudgetStatus | undefined;

  /** Fires with every budget the meter shows. */
  readonly onDidShowBudget = this.budgetEmitter.event;

  constructor(
    private readonly server: ServerManager,
    private readonly log: vscode.LogOutputChannel,
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
        this.item.backgroundColor = undefined;
        break;
      case 'failed':
        this.item.text = `$(error) ${Extension.NAME}`;
        this.item.tooltip = `${s.message}\n\nClick to show the output.`;
        this.item.command = Commands.SHOW_OUTPUT;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
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
      this.showBudget(await client.sendRequest<BudgetStatus>(Requests.BUDGET_STATUS, {}));
    } catch (error) {
      this.log.error(`Could not read today's spend: ${describeError(error)}`);
    }
  }

  private showBudget(budget: BudgetStatus): void {
    this.budget = budget;
    if (this.server.state.state !== 'running') {
      return;
    }
    this.item.text = costMeterText(budget);
    const tooltip = new vscode.MarkdownString(costMeterTooltip(budget));
    tooltip.supportHtml = false;
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.command = Commands.OPEN_CHAT;
    this.item.backgroundColor = undefined;
    this.budgetEmitter.fire(budget);
  }
}
