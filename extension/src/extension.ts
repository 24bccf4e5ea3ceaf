/**
 * Entry point: wires the output channel, the server, the cost meter, the chat and the
 * commands together, and returns the API that tests use (see api.ts).
 */
import * as vscode from 'vscode';
import type { SmartRouterApi } from './api';
import { ArenaController, registerArenaCommands } from './commands/arena';
import { AskController, registerAskCommands } from './commands/ask';
import { registerBudgetCommands } from './commands/budget';
import { ContextCommands } from './commands/context';
import { CodeActionController } from './commands/codeActions';
import { registerKeyCommands } from './commands/keys';
import { ServerCommands } from './commands/server';
import { registerStatusCommand } from './commands/status';
import { Extension } from './common/constants';
import { describeError } from './common/log';
import { ServerManager, versionOf } from './common/server';
import { affectsSettings } from './common/settings';
import { CostMeter } from './ui/statusBar';
import { UsagePanel } from './ui/usagePanel';

let server: ServerManager | undefined;

export function activate(context: vscode.ExtensionContext): SmartRouterApi {
  const log = vscode.window.createOutputChannel(Extension.OUTPUT_CHANNEL, { log: true });
  const version = versionOf(context);
  log.info(`Smart Router ${version} activating (VS Code ${vscode.version}).`);

  server = new ServerManager(context, log);
  const manager = server;
  // the same workspace key as the asks send, so that this workspace's budgets show on the meter
  const meter = new CostMeter(manager, log, () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder === undefined ? undefined : { name: folder.name, path: folder.uri.fsPath };
  });
  const usage = new UsagePanel(context.extensionUri, manager, log);
  const asks = new AskController(context, manager, log);
  const codeActions = new CodeActionController(asks, log);
  const arena = new ArenaController(context, manager, log);

  const ready = new Promise<void>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const settle = (fn: () => void): void => {
      for (const d of subscriptions) {
        d.dispose();
      }
      fn();
    };
    subscriptions.push(
      meter.onDidShowBudget(() => settle(resolve)),
      manager.onDidChangeState((s) => {
        if (s.state === 'failed') {
          settle(() => reject(new Error(s.message)));
        }
      }),
    );
  });
  // Nobody has to wait for `ready`; a failed start is reported to the user anyway.
  ready.catch(() => undefined);

  context.subscriptions.push(
    log,
    meter,
    asks,
    usage,
    ...registerBudgetCommands(manager, usage, log),
    new ServerCommands(context, manager, log),
    ...registerAskCommands(asks),
    arena,
    ...registerArenaCommands(arena),
    codeActions,
    registerStatusCommand(manager),
    ...new ContextCommands(manager, { conversationsCleared: () => asks.sessions.newChat() }, log).register(),
    ...registerKeyCommands(manager, log),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsSettings(e)) {
        void manager.onConfigurationChanged(e);
      }
    }),
    manager,
  );

  manager.start().catch((error: unknown) => log.error(`Starting the server failed: ${describeError(error)}`));

  return {
    ready,
    client: () => manager.languageClient,
    statusBar: () => meter.snapshot(),
    transcript: () => asks.panel.transcript(),
    chatSession: () => asks.panel.sessionView(),
    chatHtmlReady: () => asks.panel.isHtmlReady(),
    pendingEdits: () => codeActions.pending(),
    usage: () => usage.snapshot(),
    arena: () => arena.panel.snapshot(),
    arenaVote: (choice) => arena.vote(choice),
  };
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
