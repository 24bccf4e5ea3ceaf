/**
 * `Smart Router: Ask` and `Smart Router: Open Chat`.
 *
 * An ask opens the chat panel, adds the prompt, sends `smartRouter/ask` with a fresh
 * request id, and feeds the panel from the server's `routed` and `stream` notifications for
 * that id. The result (or the error, shown in the answer's place and as a notification) ends
 * the exchange. Stop cancels the request (`$/cancelRequest`) through its token.
 */
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { Commands, ErrorCodes, Requests } from '../common/constants';
import { describeError } from '../common/log';
import type { AskEditorContext, AskParams, AskResult } from '../common/protocol';
import type { ServerManager } from '../common/server';
import { ChatPanel } from '../ui/chatPanel';
import { ChatSessions } from './chatSessions';
import { chatErrorFromResponse, wantsApiKey, type ChatError } from '../ui/transcript';

/** What a code action presets: the intent (classification is skipped) and the editor's context. */
export interface AskPreset {
  intent: string;
  context: AskEditorContext;
}

const SET_API_KEY = 'Set API Key';
const SHOW_OUTPUT = 'Show Output';
const CHANGE_BUDGET = 'Change Budget';
const OPEN_USAGE = 'Open Usage';

/** How an ask goes out: `noCache` skips the response cache (Ask afresh). */
export interface AskOptions {
  noCache?: boolean;
}

export class AskController implements vscode.Disposable {
  readonly panel: ChatPanel;
  readonly sessions: ChatSessions;
  private readonly inFlight = new Map<string, vscode.CancellationTokenSource>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    private readonly server: ServerManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.panel = new ChatPanel(
      context.extensionUri,
      {
        ask: (prompt, model, noCache) => void this.ask(prompt, model, undefined, { noCache }),
        stop: (requestId) => this.stop(requestId),
        stopAll: () => [...this.inFlight.keys()].forEach((id) => this.stop(id)),
        setApiKey: (provider) => void vscode.commands.executeCommand(Commands.SET_API_KEY, provider ?? undefined),
        session: (message) => void this.sessions.handle(message),
        ready: () => void this.sessions.ready(),
      },
      log,
    );
    this.sessions = new ChatSessions(context.workspaceState, server, this.panel, log);
    this.disposables.push(
      this.panel,
      server.onRouted((routed) => {
        if (this.inFlight.has(routed.requestId)) {
          this.panel.dispatch({ type: 'routed', routed });
        }
      }),
      server.onStream((p) => {
        if (this.inFlight.has(p.requestId)) {
          this.panel.dispatch({ type: 'delta', requestId: p.requestId, delta: p.delta });
        }
      }),
    );
  }

  /**
   * Ask once; resolves with the result, or undefined when stopped or failed. A plain ask (no
   * preset) continues the conversation open in the panel; a code action's stands alone.
   */
  async ask(
    prompt: string,
    model: string | null = null,
    preset?: AskPreset,
    options: AskOptions = {},
  ): Promise<AskResult | undefined> {
    const requestId = randomUUID();
    const target = preset === undefined ? this.sessions.askTarget() : undefined;
    const noCache = options.noCache === true;
    this.panel.show();
    this.panel.dispatch({ type: 'started', requestId, prompt, ...(noCache ? { noCache } : {}) });
    const cancel = new vscode.CancellationTokenSource();
    this.inFlight.set(requestId, cancel);
    try {
      const client = await this.server.getClient();
      if (client === undefined) {
        const state = this.server.state;
        const why = state.state === 'failed' ? state.message : 'The Smart Router server is not running.';
        this.fail(requestId, { message: why, code: null, kind: null, provider: null });
        return undefined;
      }
      if (cancel.token.isCancellationRequested) {
        return undefined;
      }
      const params: AskParams = {
        requestId,
        prompt,
        model,
        workspace: preset?.context.workspace ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null,
        ...(preset !== undefined ? { intent: preset.intent, context: preset.context } : {}),
        ...(target !== undefined && target.conversationId !== null ? { conversationId: target.conversationId } : {}),
        ...(noCache ? { noCache } : {}),
      };
      this.log.info(
        `Ask ${requestId}: ${prompt.length} characters${model ? `, model ${model}` : ''}` +
          (preset ? `, intent ${preset.intent}` : '') +
          (params.conversationId !== undefined ? `, conversation ${params.conversationId}` : '') +
          (noCache ? ', no cache.' : '.'),
      );
      const result = await client.sendRequest<AskResult>(Requests.ASK, params, cancel.token);
      this.panel.dispatch({ type: 'finished', result });
      if (target !== undefined) {
        this.sessions.adopt(result.conversationId, target.generation);
      }
      this.log.info(
        `Ask ${requestId}: ${result.model} (${result.provider}), ${result.inputTokens}+${result.outputTokens} tokens, ` +
          `${result.costMicroUsd} micro-USD, ${Math.round(result.totalMs)} ms` +
          `${result.cached ? `, cached (${result.cached.kind})` : ''}.`,
      );
      return result;
    } catch (error) {
      if (error instanceof ResponseError && error.code === ErrorCodes.REQUEST_CANCELLED) {
        this.log.info(`Ask ${requestId}: stopped.`);
        this.panel.dispatch({ type: 'cancelled', requestId });
        return undefined;
      }
      this.fail(
        requestId,
        error instanceof ResponseError
          ? chatErrorFromResponse(error.code, error.message, error.data)
          : chatErrorFromResponse(null, describeError(error), undefined),
      );
      return undefined;
    } finally {
      this.inFlight.delete(requestId);
      cancel.dispose();
    }
  }

  /** Stop one ask in flight (the answer so far stays in the panel). */
  stop(requestId: string): void {
    const cancel = this.inFlight.get(requestId);
    if (cancel !== undefined) {
      this.log.info(`Ask ${requestId}: stop requested.`);
      cancel.cancel();
      this.panel.dispatch({ type: 'cancelled', requestId });
    }
  }

  dispose(): void {
    this.inFlight.forEach((c) => c.cancel());
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  /** Show the error in the answer's place and as a notification (not awaited). */
  private fail(requestId: string, error: ChatError): void {
    this.log.error(`Ask ${requestId}: ${error.kind ?? 'error'} (${error.code ?? '-'}): ${error.message}`);
    this.panel.dispatch({ type: 'failed', requestId, error });
    const overBudget = error.kind === 'budget_exceeded';
    const actions = wantsApiKey(error) ? [SET_API_KEY] : overBudget ? [CHANGE_BUDGET, OPEN_USAGE] : [SHOW_OUTPUT];
    void vscode.window.showErrorMessage(`Smart Router: ${error.message}`, ...actions).then((choice) => {
      if (choice === CHANGE_BUDGET) {
        void vscode.commands.executeCommand(Commands.SET_BUDGET);
      } else if (choice === OPEN_USAGE) {
        void vscode.commands.executeCommand(Commands.SHOW_USAGE);
      } else if (choice === SET_API_KEY) {
        void vscode.commands.executeCommand(Commands.SET_API_KEY, error.provider ?? undefined);
      } else if (choice === SHOW_OUTPUT) {
        void vscode.commands.executeCommand(Commands.SHOW_OUTPUT);
      }
    });
  }
}

export function registerAskCommands(controller: AskController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.ASK, async (prompt?: unknown, model?: unknown) => {
      let text = typeof prompt === 'string' ? prompt : undefined;
      if (text === undefined || text.trim() === '') {
        text = await vscode.window.showInputBox({
          title: 'Smart Router: Ask',
          prompt: 'Smart Router sends this to the cheapest model that can answer it.',
          placeHolder: 'Explain what this regular expression matches: ^\\d{3}-\\d{4}$',
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() === '' ? 'Type a question.' : undefined),
        });
        if (text === undefined) {
          return undefined;
        }
      }
      const picked = typeof model === 'string' && model !== '' ? model : controller.sessions.askTarget().model;
      return controller.ask(text.trim(), picked);
    }),
    vscode.commands.registerCommand(Commands.OPEN_CHAT, () => controller.panel.show({ focusInput: true })),
  ];
}
