/**
 * The chat panel's sessions: which conversation is open, the conversation list, the model
 * picker, and New chat / reopen / fork / rename / delete.
 *
 * The server stores the conversations (`smartRouter/conversations`, `conversation`,
 * `conversationFork`, `conversationRename`, `conversationDelete`). The open conversation's id
 * and the picked model are kept in workspaceState, so the panel reopens the same conversation
 * after VS Code restarts. A new chat has no id until its first answer returns one (`adopt`).
 */
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { Extension, Requests } from '../common/constants';
import { describeError } from '../common/log';
import type {
  ConversationDeleteResult,
  ConversationDetail,
  ConversationRenameResult,
  ConversationsResult,
  ModelsResult,
} from '../common/protocol';
import type { ServerManager } from '../common/server';
import type { ChatPanel, SessionMessage } from '../ui/chatPanel';
import { AUTO_MODEL, forkSeqFor, modelChoices, type SessionView } from '../ui/chatSession';
import { entriesFromConversation } from '../ui/transcript';

const DELETE = 'Delete';

export class ChatSessions {
  private conversationId: string | null;
  /** The conversation open when VS Code last closed: reopened when the webview first shows. */
  private readonly leftOpen: string | null;
  private title: string | null = null;
  private model: string | null;
  private view: Omit<SessionView, 'conversationId' | 'title' | 'model'> = {
    conversations: [],
    models: [AUTO_MODEL],
    notice: null,
  };
  /** Bumped whenever another conversation opens: an answer asked before does not adopt its id. */
  private generation = 0;
  private restored = false;

  constructor(
    private readonly state: vscode.Memento,
    private readonly server: ServerManager,
    private readonly panel: ChatPanel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.conversationId = state.get<string>(Extension.OPEN_CONVERSATION_KEY) ?? null;
    this.leftOpen = this.conversationId;
    this.model = state.get<string>(Extension.CHAT_MODEL_KEY) ?? null;
  }

  /** What the next ask of the panel carries: the open conversation and the picked model. */
  askTarget(): { conversationId: string | null; model: string | null; generation: number } {
    return { conversationId: this.conversationId, model: this.model, generation: this.generation };
  }

  /** An answer returned its conversation: a new chat (still the same one) now has an id. */
  adopt(conversationId: string | undefined, generation: number): void {
    if (conversationId !== undefined && generation === this.generation && this.conversationId === null) {
      this.setOpen(conversationId, null);
    }
    void this.refresh();
  }

  /** The webview is up: the first time, reopen the conversation left open; then refresh. */
  async ready(): Promise<void> {
    if (!this.restored) {
      this.restored = true;
      // only the conversation left open last time: one an ask just started is on screen already
      if (this.conversationId !== null && this.conversationId === this.leftOpen) {
        await this.open(this.conversationId, { quiet: true });
      }
    }
    await this.refresh();
  }

  async handle(message: SessionMessage): Promise<void> {
    switch (message.type) {
      case 'setModel':
        this.model = message.model;
        await this.state.update(Extension.CHAT_MODEL_KEY, message.model ?? undefined);
        this.publish();
        break;
      case 'newChat':
        this.newChat();
        break;
      case 'listConversations':
        await this.refresh();
        break;
      case 'openConversation':
        await this.open(message.id);
        break;
      case 'renameConversation':
        await this.rename(message.id);
        break;
      case 'deleteConversation':
        await this.delete(message.id);
        break;
      case 'fork':
        await this.fork(message.requestId);
        break;
    }
  }

  newChat(): void {
    this.generation += 1;
    this.setOpen(null, null);
    this.panel.dispatch({ type: 'loaded', entries: [] });
  }

  /** Load a stored conversation into the transcript and continue it from now on. */
  async open(id: string, options: { quiet?: boolean } = {}): Promise<boolean> {
    const detail = await this.request<ConversationDetail>(Requests.CONVERSATION, { id }, options.quiet === true);
    if (detail === undefined) {
      if (options.quiet === true && this.conversationId === id) {
        this.setOpen(null, null); // gone (cleared or deleted elsewhere): start fresh
      }
      return false;
    }
    if (options.quiet === true) {
      // reopening at start: an ask that opened the panel stays below the stored exchanges, as it
      // is on screen (with its routing, context and timings, which stored exchanges lack)
      const live = this.panel.transcript();
      const earlier = entriesFromConversation(detail).filter(
        (s) => !live.some((e) => e.prompt === s.prompt && e.text === s.text),
      );
      this.generation += 1;
      this.setOpen(detail.id, detail.title);
      this.panel.dispatch({ type: 'loaded', entries: [...earlier, ...live] });
      return true;
    }
    this.show(detail);
    return true;
  }

  /** Fork the answer's conversation at that answer and open the fork. */
  async fork(requestId: string): Promise<void> {
    const entries = this.panel.transcript();
    const entry = entries.find((e) => e.requestId === requestId);
    if (entry?.conversationId === undefined || entry.status !== 'done') {
      return;
    }
    let atSeq = entry.seq;
    if (atSeq === undefined) {
      const detail = await this.request<ConversationDetail>(Requests.CONVERSATION, { id: entry.conversationId });
      if (detail === undefined) {
        return;
      }
      const answered = entries.filter((e) => e.conversationId === entry.conversationId && e.status === 'done');
      atSeq = forkSeqFor(detail, entry.prompt, entry.text, answered.indexOf(entry));
    }
    const fork = await this.request<ConversationDetail>(Requests.CONVERSATION_FORK, {
      id: entry.conversationId,
      ...(atSeq !== undefined ? { atSeq } : {}),
    });
    if (fork !== undefined) {
      this.log.info(`Chat: forked ${entry.conversationId} at ${atSeq ?? 'the end'} into ${fork.id}.`);
      this.show(fork);
      await this.refresh();
    }
  }

  async rename(id: string): Promise<void> {
    const current = this.view.conversations.find((c) => c.id === id)?.title ?? (id === this.conversationId ? this.title : null);
    const title = await vscode.window.showInputBox({
      title: 'Smart Router: Rename Conversation',
      value: current ?? '',
      prompt: 'The conversation’s new title.',
      validateInput: (v) => (v.trim() === '' ? 'Type a title.' : v.length > 200 ? 'At most 200 characters.' : undefined),
    });
    if (title === undefined) {
      return;
    }
    const result = await this.request<ConversationRenameResult>(Requests.CONVERSATION_RENAME, { id, title: title.trim() });
    if (result !== undefined && id === this.conversationId) {
      this.title = result.title;
    }
    await this.refresh();
  }

  async delete(id: string): Promise<void> {
    const summary = this.view.conversations.find((c) => c.id === id);
    const name = summary?.title ?? (id === this.conversationId ? this.title : null) ?? 'this conversation';
    const count = summary !== undefined ? ` Its ${summary.messages} messages are removed.` : '';
    const choice = await vscode.window.showWarningMessage(
      `Delete “${name}”?`,
      { modal: true, detail: `This cannot be undone.${count}` },
      DELETE,
    );
    if (choice !== DELETE) {
      return;
    }
    const result = await this.request<ConversationDeleteResult>(Requests.CONVERSATION_DELETE, { id });
    if (result !== undefined && id === this.conversationId) {
      this.newChat();
    }
    await this.refresh();
  }

  /** Fetch the conversation list and the models, then show them. */
  async refresh(): Promise<void> {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const [list, models] = await Promise.all([
      this.request<ConversationsResult>(Requests.CONVERSATIONS, workspace !== undefined ? { workspace } : {}, true),
      this.request<ModelsResult>(Requests.MODELS, {}, true),
    ]);
    if (list !== undefined) {
      this.view.conversations = list.conversations;
      const open = list.conversations.find((c) => c.id === this.conversationId);
      if (open !== undefined) {
        this.title = open.title;
      }
      this.view.notice = null;
    } else {
      this.view.notice = 'The conversation list is not available (is the server running?).';
    }
    if (models !== undefined) {
      this.view.models = modelChoices(models.models);
    }
    this.publish();
  }

  private show(detail: ConversationDetail): void {
    this.generation += 1;
    this.setOpen(detail.id, detail.title);
    this.panel.dispatch({ type: 'loaded', entries: entriesFromConversation(detail) });
  }

  private setOpen(id: string | null, title: string | null): void {
    this.conversationId = id;
    this.title = title;
    void this.state.update(Extension.OPEN_CONVERSATION_KEY, id ?? undefined);
    this.publish();
  }

  private publish(): void {
    this.panel.setSession({
      ...this.view,
      conversationId: this.conversationId,
      title: this.title,
      model: this.model,
    });
  }

  /** Send a request; on failure log it and (unless quiet) tell the user. */
  private async request<T>(method: string, params: object, quiet = false): Promise<T | undefined> {
    const client = await this.server.getClient();
    if (client === undefined) {
      if (!quiet) {
        void vscode.window.showErrorMessage('Smart Router: the server is not running.');
      }
      return undefined;
    }
    try {
      return await client.sendRequest<T>(method, params);
    } catch (error) {
      const message = error instanceof ResponseError ? error.message : describeError(error);
      this.log.warn(`Chat: ${method} failed: ${message}`);
      if (!quiet) {
        void vscode.window.showErrorMessage(`Smart Router: ${message}`);
      }
      return undefined;
    }
  }
}
