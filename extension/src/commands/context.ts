/**
 * `Smart Router: Clear Context` (a scope with what it holds, from `smartRouter/contextStats`,
 * then a modal confirmation, then `smartRouter/contextClear` and what was removed),
 * `Smart Router: Pin Selection as Note` (the editor's selection, or typed text, through
 * `smartRouter/pinNote`) and `Smart Router: Show Context Stats`.
 *
 * The words are in common/contextChoices.ts.
 */
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { Commands, Requests } from '../common/constants';
import {
  clearQuestion,
  clearsConversations,
  noteTitle,
  removedSummary,
  scopeChoices,
  statsLines,
  type ScopeChoice,
} from '../common/contextChoices';
import { describeError } from '../common/log';
import type { ContextClearResult, ContextStats, PinNoteParams, PinNoteResult } from '../common/protocol';
import type { ServerManager } from '../common/server';

const CLEAR = 'Clear';

interface ScopeItem extends vscode.QuickPickItem {
  choice: ScopeChoice;
}

export interface ContextCommandHooks {
  /** The chat's conversations were removed: the panel starts a new chat. */
  conversationsCleared(): void;
}

function workspacePath(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export class ContextCommands {
  constructor(
    private readonly server: ServerManager,
    private readonly hooks: ContextCommandHooks,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(Commands.CLEAR_CONTEXT, () => this.clear()),
      vscode.commands.registerCommand(Commands.PIN_NOTE, (text?: unknown) =>
        this.pin(typeof text === 'string' ? text : undefined),
      ),
      vscode.commands.registerCommand(Commands.SHOW_CONTEXT_STATS, () => this.stats()),
    ];
  }

  /** Pick a scope, confirm, clear; resolves with what was removed (undefined if not cleared). */
  async clear(): Promise<ContextClearResult | undefined> {
    const stats = await this.request<ContextStats>(Requests.CONTEXT_STATS, {}, true);
    const items: ScopeItem[] = scopeChoices(stats).map((choice) => ({
      label: choice.label,
      description: choice.description,
      detail: choice.detail,
      choice,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Smart Router: Clear Context',
      placeHolder: 'What should be removed from the context cache?',
      matchOnDetail: true,
    });
    if (picked === undefined) {
      return undefined;
    }
    const question = clearQuestion(picked.choice);
    const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, CLEAR);
    if (answer !== CLEAR) {
      return undefined;
    }
    const result = await this.request<ContextClearResult>(Requests.CONTEXT_CLEAR, { scope: picked.choice.scope });
    if (result === undefined) {
      return undefined;
    }
    const summary = removedSummary(result);
    this.log.info(`Clear Context (${picked.choice.scope}): ${summary}`);
    if (clearsConversations(picked.choice.scope)) {
      this.hooks.conversationsCleared();
    }
    void vscode.window.showInformationMessage(`Smart Router: ${summary}`);
    return result;
  }

  /** Pin the selection (or `text`, or what the user types) as a note; resolves with its id. */
  async pin(text?: string): Promise<number | undefined> {
    const editor = vscode.window.activeTextEditor;
    const selection = editor !== undefined && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
    let note = text ?? selection;
    let title: string | undefined;
    if (text === undefined && selection.trim() !== '' && editor !== undefined) {
      const file = editor.document.uri.scheme === 'file' ? editor.document.uri.fsPath : null;
      title = noteTitle(file, editor.selection.start.line + 1, editor.selection.end.line + 1);
    }
    if (note.trim() === '') {
      const typed = await vscode.window.showInputBox({
        title: 'Smart Router: Pin Note',
        prompt: 'A note that goes along with related questions as context (kept until you clear notes).',
        placeHolder: 'We use pnpm, not npm; tests run with vitest.',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'Type the note.' : undefined),
      });
      if (typed === undefined) {
        return undefined;
      }
      note = typed.trim();
    }
    const workspace = workspacePath();
    const params: PinNoteParams = {
      text: note,
      ...(title !== undefined ? { title } : {}),
      ...(workspace !== undefined ? { workspace } : {}),
    };
    const result = await this.request<PinNoteResult>(Requests.PIN_NOTE, params);
    if (result !== undefined) {
      this.log.info(`Pinned note ${result.id} (${note.length} characters).`);
      vscode.window.setStatusBarMessage(`$(pin) Smart Router: pinned ${title ?? 'the note'} as context`, 4000);
    }
    return result?.id;
  }

  async stats(): Promise<ContextStats | undefined> {
    const stats = await this.request<ContextStats>(Requests.CONTEXT_STATS, {});
    if (stats !== undefined) {
      const { message, detail } = statsLines(stats);
      void vscode.window.showInformationMessage(message, { modal: true, detail: detail.join('\n') });
    }
    return stats;
  }

  private async request<T>(method: string, params: object, quiet = false): Promise<T | undefined> {
    const client = await this.server.getClient();
    if (client === undefined) {
      if (!quiet) {
        void vscode.window.showErrorMessage('Smart Router: the server is not running. Run Smart Router: Restart Server.');
      }
      return undefined;
    }
    try {
      return await client.sendRequest<T>(method, params);
    } catch (error) {
      const message = error instanceof ResponseError ? error.message : describeError(error);
      this.log.warn(`${method} failed: ${message}`);
      if (!quiet) {
        void vscode.window.showErrorMessage(`Smart Router: ${message}`);
      }
      return undefined;
    }
  }
}
