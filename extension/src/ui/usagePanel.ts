/**
 * The usage dashboard (`Smart Router: Show Usage`): a webview with the spend per day stacked
 * by model, the spend per intent, the budget gauges, the forecast and the most expensive
 * requests, drawn by media/src/usage.ts.
 *
 * The panel asks `smartRouter/usageReport` for the chosen range (7, 30 or 90 days ending
 * today in the budgets' time zone) when the webview is ready, when the range changes, and,
 * debounced, on every `smartRouter/budgetChanged` while it is open. Answers that arrive after
 * a newer request are dropped.
 */
import * as vscode from 'vscode';
import { Commands, Extension, Requests } from '../common/constants';
import { describeError } from '../common/log';
import type { UsageReport, UsageReportParams } from '../common/protocol';
import type { ServerManager } from '../common/server';
import { usageHtml } from './usageHtml';
import {
  DEFAULT_RANGE,
  isoDay,
  parseFromUsageWebview,
  reportRange,
  type FromUsageWebview,
  type RangeDays,
  type RenderedSummary,
  type ToUsageWebview,
} from './usageMessages';
import { WebviewPanelHost } from './webviewPanel';

/** Wait this long after a budget change before reading the ledger again (bursts of asks). */
const REFRESH_DEBOUNCE_MS = 250;

/** What the dashboard shows now (for tests). */
export interface UsageSnapshot {
  open: boolean;
  /** On screen (a hidden webview is re-created, and redrawn, when shown again). */
  visible: boolean;
  htmlReady: boolean;
  days: RangeDays;
  /** The last report the webview was sent. */
  report: UsageReport | undefined;
  /** What the webview said it rendered from that report. */
  rendered: RenderedSummary | undefined;
}

export class UsagePanel implements vscode.Disposable {
  private readonly host: WebviewPanelHost<FromUsageWebview, ToUsageWebview>;
  private days: RangeDays = DEFAULT_RANGE;
  /** The budgets' calendar day, from the last budget status (else the machine's). */
  private today: string | undefined;
  private report: UsageReport | undefined;
  private rendered: RenderedSummary | undefined;
  private sequence = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly server: ServerManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.host = new WebviewPanelHost(
      extensionUri,
      {
        viewType: Extension.USAGE_VIEW_TYPE,
        title: Extension.USAGE_TITLE,
        name: 'usage',
        html: usageHtml,
        parse: parseFromUsageWebview,
        onMessage: (message) => this.onMessage(message),
        onDidClose: () => {
          this.rendered = undefined;
        },
        // a hidden dashboard is re-created when shown again, and then says `ready`
        notReadyWhenHidden: false,
      },
      log,
    );
    this.disposables.push(
      server.onBudgetChanged((status) => {
        this.today = status.day;
        this.scheduleRefresh();
      }),
      server.onDidChangeState((s) => {
        if (s.state === 'running') {
          this.scheduleRefresh();
        }
      }),
    );
  }

  /** Open the dashboard in the active editor group, or reveal it. */
  show(): void {
    if (!this.host.show(vscode.ViewColumn.Active)) {
      void this.load();
    }
  }

  snapshot(): UsageSnapshot {
    return {
      open: this.host.isOpen,
      visible: this.host.visible,
      htmlReady: this.host.isReady,
      days: this.days,
      report: this.report === undefined ? undefined : structuredClone(this.report),
      rendered: this.rendered === undefined ? undefined : structuredClone(this.rendered),
    };
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.host.dispose();
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private onMessage(message: FromUsageWebview): void {
    switch (message.type) {
      case 'ready':
        // VS Code re-creates a hidden webview when it is shown again: send everything anew
        this.host.markReady();
        if (this.report !== undefined) {
          this.host.post({ type: 'report', days: this.days, report: this.report });
        }
        void this.load();
        break;
      case 'range':
        this.days = message.days;
        void this.load();
        break;
      case 'refresh':
        void this.load();
        break;
      case 'setBudget':
        void vscode.commands.executeCommand(Commands.SET_BUDGET);
        break;
      case 'openChat':
        void vscode.commands.executeCommand(Commands.OPEN_CHAT);
        break;
      case 'rendered':
        this.rendered = message.summary;
        break;
    }
  }

  private scheduleRefresh(): void {
    if (!this.host.isOpen) {
      return;
    }
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.load(), REFRESH_DEBOUNCE_MS);
  }

  /** Ask the server for the report of the current range and send it to the webview. */
  private async load(): Promise<void> {
    if (!this.host.isOpen) {
      return;
    }
    const sequence = ++this.sequence;
    const days = this.days;
    this.host.post({ type: 'loading', days });
    const client = await this.server.getClient();
    if (sequence !== this.sequence) {
      return;
    }
    if (client === undefined) {
      this.host.post({
        type: 'error',
        days,
        message: 'The Smart Router server is not running. Run Smart Router: Restart Server, then Refresh.',
      });
      return;
    }
    const params: UsageReportParams = { ...reportRange(this.today ?? isoDay(new Date()), days), by: 'model' };
    try {
      const report = await client.sendRequest<UsageReport>(Requests.USAGE_REPORT, params);
      if (sequence !== this.sequence) {
        return;
      }
      this.report = report;
      this.host.post({ type: 'report', days, report });
    } catch (error) {
      if (sequence !== this.sequence) {
        return;
      }
      const message = `Could not read the usage report: ${describeError(error)}`;
      this.log.error(message);
      this.host.post({ type: 'error', days, message });
    }
  }
}
