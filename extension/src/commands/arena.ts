/**
 * `Smart Router: Arena` and `Smart Router: Show Leaderboard`.
 *
 * The arena asks for the prompt (the selection goes along as context), the battle group and
 * whether to hide the model names (blind), opens the arena panel and sends `smartRouter/arena`
 * with a work-done token: the server's progress ("2 of 4 answered") shows in a notification
 * whose Cancel, like the panel's Stop, cancels that progress, so the server stops every
 * contestant, settles what was spent and still judges the answers that finished. If no result
 * comes within a few seconds the request itself is cancelled (`$/cancelRequest`). The columns
 * are fed from `arenaStarted`, `arenaStream` and `arenaContestant` for this request id, the
 * judge's merged answer (when `smartRouter.arenaJudge` is set) from `arenaMerge`.
 *
 * A budget refusal shows the battle's worst case and offers the smaller battle the server
 * suggests. Votes go to `smartRouter/arenaVote`; the answer carries the new leaderboard.
 */
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import {
  ResponseError,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  type LanguageClient,
} from 'vscode-languageclient/node';
import {
  groupChoices,
  modelsLabel,
  parseArenaArgs,
  refusedEstimate,
  smallerBattle,
  type ArenaArgs,
} from '../common/arenaChoices';
import { extractCode } from '../common/codeEdit';
import { Commands, ErrorCodes, Requests } from '../common/constants';
import { describeError } from '../common/log';
import type {
  ArenaParams,
  ArenaResult,
  ArenaVoteResult,
  AskEditorContext,
  LeaderboardParams,
  LeaderboardResult,
} from '../common/protocol';
import { readSettings, type ServerManager } from '../common/server';
import type { AnswerRef } from '../ui/arenaMessages';
import { ArenaPanel } from '../ui/arenaPanel';
import { editorContext, pickGroup, workspacePath } from './arenaPick';
import { displayOrder, voteFor, type VoteChoice } from '../ui/arenaState';

/** After Cancel, how long the server may take to judge what finished before the request is dropped. */
const CANCEL_GRACE_MS = 4_000;
const SET_BUDGET = 'Set Budget';

interface Battle {
  requestId: string;
  progressToken: string;
  request: vscode.CancellationTokenSource;
  stopTimer?: ReturnType<typeof setTimeout>;
  client: LanguageClient;
}

interface RunOptions extends ArenaArgs {
  /** How the panel names the battle (the group's label). */
  label: string;
  context?: AskEditorContext;
}

export class ArenaController implements vscode.Disposable {
  readonly panel: ArenaPanel;
  private battle: Battle | undefined;
  /** The editor an answer is inserted into: the last text editor that had focus. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private boardSequence = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: ServerManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.panel = new ArenaPanel(
      context.extensionUri,
      {
        vote: (choice) => void this.vote(choice),
        stop: () => this.stop(),
        copy: (column) => void this.copy(column),
        insert: (column) => void this.insert(column),
        leaderboard: (intent) => void this.loadLeaderboard(intent),
      },
      log,
    );
    const mine = (requestId: string): boolean => this.battle?.requestId === requestId;
    this.disposables.push(
      this.panel,
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e !== undefined) {
          this.lastEditor = e;
        }
      }),
      server.onArenaStarted((started) => {
        if (mine(started.requestId)) {
          const blind = this.panel.current()?.blind === true;
          this.panel.dispatch({ type: 'members', started, order: displayOrder(started.members.length, blind ? Math.random : undefined) });
        }
      }),
      server.onArenaStream((p) => {
        if (mine(p.requestId)) {
          this.panel.dispatch({ type: 'delta', requestId: p.requestId, model: p.model, delta: p.delta });
        }
      }),
      server.onArenaContestant((p) => {
        if (mine(p.requestId)) {
          this.panel.dispatch({ type: 'contestant', requestId: p.requestId, contestant: p.contestant });
        }
      }),
      server.onArenaMerge((p) => {
        if (mine(p.requestId)) {
          this.panel.dispatch({ type: 'merge', requestId: p.requestId, model: p.model, sources: p.sources, delta: p.delta });
        }
      }),
    );
  }

  /** `Smart Router: Arena`: ask what is missing from `raw`, then run the battle. */
  async command(raw?: unknown): Promise<ArenaResult | undefined> {
    const args = parseArenaArgs(raw) ?? {};
    const editor = vscode.window.activeTextEditor;
    const context = editor !== undefined && !editor.selection.isEmpty ? editorContext(editor) : undefined;
    const prompt =
      args.prompt ??
      (await vscode.window.showInputBox({
        title: 'Smart Router: Arena',
        prompt: context
          ? `Several models answer at once; the ${context.selection?.split('\n').length ?? 0} selected lines go along as context.`
          : 'Several models answer at once, side by side; you vote for the best answer.',
        placeHolder: 'Write a function that checks whether a string is a palindrome',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'Type a prompt.' : undefined),
      }));
    if (prompt === undefined || prompt.trim() === '') {
      return undefined;
    }
    let group = args.group;
    let models = args.models;
    let label = models !== undefined ? modelsLabel(models) : (group ?? '');
    let blind = args.blind;
    if (group === undefined && models === undefined) {
      const chosen = await pickGroup(this.server, this.context.globalState);
      if (chosen === undefined) {
        return undefined;
      }
      ({ group, models, label, blind } = chosen);
    } else if (group !== undefined) {
      label = groupChoices(readSettings().arenaGroups).find((g) => g.group.toLowerCase() === group?.toLowerCase())?.label ?? group;
    }
    return this.run({ prompt: prompt.trim(), group, models, blind: blind ?? false, label, context });
  }

  /** Run one battle; a new one replaces the battle in progress. */
  async run(options: RunOptions): Promise<ArenaResult | undefined> {
    this.stopNow();
    const client = await this.server.getClient();
    const requestId = randomUUID();
    this.panel.dispatch({ type: 'started', requestId, prompt: options.prompt, group: options.label, blind: options.blind === true });
    this.panel.show('battle');
    if (client === undefined) {
      const s = this.server.state;
      const message = s.state === 'failed' ? s.message : 'The Smart Router server is not running. Run Smart Router: Restart Server.';
      this.panel.dispatch({ type: 'failed', requestId, error: { message, kind: null } });
      void vscode.window.showErrorMessage(`Smart Router: ${message}`);
      return undefined;
    }
    const battle: Battle = { requestId, progressToken: `arena-${requestId}`, request: new vscode.CancellationTokenSource(), client };
    this.battle = battle;
    const params: ArenaParams = {
      requestId,
      prompt: options.prompt,
      ...(options.models !== undefined ? { models: options.models } : { group: options.group ?? 'hybrid' }),
      ...(options.context !== undefined ? { context: options.context } : {}),
      ...(workspacePath() !== undefined ? { workspace: workspacePath() } : {}),
      blind: options.blind === true,
      workDoneToken: battle.progressToken,
    };
    this.log.info(`Arena ${requestId}: ${options.label}, ${options.prompt.length} characters${options.blind ? ', blind' : ''}.`);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Smart Router arena: ${options.label}`, cancellable: true },
        async (progress, cancel) => {
          cancel.onCancellationRequested(() => this.stop());
          let done = 0;
          const listener = client.onProgress(WorkDoneProgress.type, battle.progressToken, (p) => {
            if (p.kind === 'end') {
              return;
            }
            const percentage = p.percentage ?? done;
            progress.report({ message: p.message, increment: Math.max(0, percentage - done) });
            done = Math.max(done, percentage);
          });
          try {
            return await client.sendRequest<ArenaResult>(Requests.ARENA, params, battle.request.token);
          } finally {
            listener.dispose();
          }
        },
      );
      this.panel.dispatch({ type: 'finished', result });
      this.log.info(
        `Arena ${requestId}: battle ${result.battleId}, ${result.contestants.length} answers, ` +
          `pick ${result.pick?.model ?? 'none'}, $${result.totalCostUsd}, ${Math.round(result.wallMs)} ms.`,
      );
      return result;
    } catch (error) {
      this.onError(requestId, error, options);
      return undefined;
    } finally {
      clearTimeout(battle.stopTimer);
      battle.request.dispose();
      if (this.battle === battle) {
        this.battle = undefined;
      }
    }
  }

  /** Cancel the battle's progress (the server judges what finished); drop the request if it hangs. */
  stop(): void {
    const battle = this.battle;
    if (battle === undefined || battle.stopTimer !== undefined) {
      return;
    }
    this.log.info(`Arena ${battle.requestId}: stop requested.`);
    this.panel.dispatch({ type: 'stopping', requestId: battle.requestId });
    battle.client
      .sendNotification(WorkDoneProgressCancelNotification.type, { token: battle.progressToken })
      .catch((e: unknown) => this.log.warn(`Could not cancel the arena's progress: ${describeError(e)}`));
    battle.stopTimer = setTimeout(() => battle.request.cancel(), CANCEL_GRACE_MS);
  }

  /** `Smart Router: Show Leaderboard`. */
  showLeaderboard(): void {
    this.panel.show('leaderboard');
    void this.loadLeaderboard(this.panel.leaderboard().intent);
  }

  dispose(): void {
    this.stopNow();
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  /** Vote as the webview (or a test) chose; the leaderboard comes back with the answer. */
  async vote(choice: VoteChoice): Promise<ArenaVoteResult | undefined> {
    const b = this.panel.current();
    const wire = b === null ? undefined : voteFor(b, choice);
    if (b === null || wire === undefined || b.battleId === null) {
      return undefined;
    }
    const battleId = b.battleId;
    this.panel.dispatch({ type: 'voting', battleId, vote: wire.vote });
    try {
      const client = await this.server.getClient();
      if (client === undefined) {
        throw new Error('The Smart Router server is not running.');
      }
      const result = await client.sendRequest<ArenaVoteResult>(Requests.ARENA_VOTE, wire.params);
      this.panel.dispatch({ type: 'voted', battleId, vote: wire.vote });
      this.log.info(`Arena vote on ${battleId}: ${wire.vote.vote}${wire.vote.winner ? ` ${wire.vote.winner}` : ''}.`);
      const intent = this.panel.leaderboard().intent;
      if (intent === null) {
        this.boardSequence++;
        this.panel.setLeaderboard({ intent: null, entries: result.leaderboard, loading: false, error: null });
      } else {
        void this.loadLeaderboard(intent);
      }
      return result;
    } catch (error) {
      const message = `The vote was not recorded: ${describeError(error)}`;
      this.log.error(message);
      this.panel.dispatch({ type: 'voteFailed', battleId, message });
      return undefined;
    }
  }

  private async loadLeaderboard(intent: string | null): Promise<void> {
    const sequence = ++this.boardSequence;
    this.panel.setLeaderboard({ ...this.panel.leaderboard(), intent, loading: true, error: null });
    const client = await this.server.getClient();
    if (sequence !== this.boardSequence) {
      return;
    }
    if (client === undefined) {
      this.panel.setLeaderboard({ intent, entries: [], loading: false, error: 'The Smart Router server is not running.' });
      return;
    }
    const params: LeaderboardParams = intent === null ? {} : { intent };
    try {
      const result = await client.sendRequest<LeaderboardResult>(Requests.LEADERBOARD, params);
      if (sequence === this.boardSequence) {
        this.panel.setLeaderboard({ intent, entries: result.entries, loading: false, error: null });
      }
    } catch (error) {
      if (sequence === this.boardSequence) {
        const message = `Could not read the leaderboard: ${describeError(error)}`;
        this.log.error(message);
        this.panel.setLeaderboard({ intent, entries: [], loading: false, error: message });
      }
    }
  }

  /** A column's answer, or the merged one. */
  private answer(column: AnswerRef): string | undefined {
    const b = this.panel.current();
    const text = column === 'merged' ? b?.merge?.text : b?.columns[column]?.text;
    return text === undefined || text === '' ? undefined : text;
  }

  private async copy(column: AnswerRef): Promise<void> {
    const text = this.answer(column);
    if (text !== undefined) {
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage('$(check) Answer copied to the clipboard', 2000);
    }
  }

  /** Insert the answer's code (its whole text when it holds none) at the cursor of the last editor. */
  private async insert(column: AnswerRef): Promise<void> {
    const text = this.answer(column);
    if (text === undefined) {
      return;
    }
    const target =
      this.lastEditor !== undefined && !this.lastEditor.document.isClosed
        ? this.lastEditor
        : vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'output');
    if (target === undefined) {
      void vscode.window.showWarningMessage('Smart Router: open a file and place the cursor where the answer should go.');
      return;
    }
    const editor = await vscode.window.showTextDocument(target.document, target.viewColumn, false);
    const code = extractCode(text, editor.document.languageId) ?? text;
    const ok = await editor.edit((edit) => {
      for (const selection of editor.selections) {
        edit.replace(selection, code);
      }
    });
    if (!ok) {
      void vscode.window.showWarningMessage('Smart Router: the answer could not be inserted (the file is read-only?).');
    }
  }

  private onError(requestId: string, error: unknown, options: RunOptions): void {
    if (error instanceof ResponseError && error.code === ErrorCodes.REQUEST_CANCELLED) {
      this.log.info(`Arena ${requestId}: cancelled.`);
      this.panel.dispatch({ type: 'failed', requestId, error: { message: 'Stopped before the answers could be judged.', kind: 'cancelled' } });
      return;
    }
    const message = error instanceof ResponseError ? error.message : describeError(error);
    const data: unknown = error instanceof ResponseError ? error.data : undefined;
    const kind = typeof data === 'object' && data !== null && typeof (data as { kind?: unknown }).kind === 'string' ? (data as { kind: string }).kind : null;
    this.log.error(`Arena ${requestId}: ${kind ?? 'error'}: ${message}`);
    this.panel.dispatch({ type: 'failed', requestId, error: { message, kind } });
    if (kind !== 'budget_exceeded') {
      void vscode.window.showErrorMessage(`Smart Router arena: ${message}`);
      return;
    }
    const smaller = smallerBattle(data);
    const estimate = refusedEstimate(data);
    const headline = estimate !== undefined ? `This battle could cost up to ${estimate}, more than your budget allows.` : message;
    const actions = smaller !== undefined ? [smaller.button, SET_BUDGET] : [SET_BUDGET];
    void vscode.window.showWarningMessage(`Smart Router arena: ${headline}`, { detail: message }, ...actions).then((choice) => {
      if (smaller !== undefined && choice === smaller.button) {
        void this.run({ ...options, group: undefined, models: smaller.models, label: `${smaller.group || options.label} (${smaller.models.length} that fit)` });
      } else if (choice === SET_BUDGET) {
        void vscode.commands.executeCommand(Commands.SET_BUDGET);
      }
    });
  }

  private stopNow(): void {
    const battle = this.battle;
    if (battle !== undefined) {
      clearTimeout(battle.stopTimer);
      battle.request.cancel();
    }
  }
}

export function registerArenaCommands(controller: ArenaController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.ARENA, (args?: unknown) => controller.command(args)),
    vscode.commands.registerCommand(Commands.SHOW_LEADERBOARD, () => controller.showLeaderboard()),
  ];
}
