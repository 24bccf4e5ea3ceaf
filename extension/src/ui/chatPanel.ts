/**
 * The chat webview panel ("Smart Router", beside the editor).
 *
 * The extension owns the transcript (ui/transcript.ts). Every change is applied here with
 * the pure reducer and the same action is posted to the webview, which runs the same reducer
 * on its copy and re-renders (throttled). When VS Code re-creates the webview (it is not
 * retained while hidden), the webview says `ready` and gets the whole transcript back.
 *
 * Besides the transcript the panel shows the session (ui/chatSession.ts): the open
 * conversation, the conversation list and the model picker, owned by commands/chatSessions.ts
 * and sent whole on every change.
 *
 * The webview asks, stops, copies, opens context files and manages conversations only through
 * messages, validated by `parseFromWebview`.
 */
import * as vscode from 'vscode';
import { Extension } from '../common/constants';
import { chatHtml } from './chatHtml';
import { parseFromWebview, type FileRange, type FromWebview, type ToWebview } from './chatMessages';
import { emptySession, type SessionView } from './chatSession';
import { reduce, type ChatAction, type ChatEntry } from './transcript';
import { WebviewPanelHost } from './webviewPanel';

/** What the webview asks about conversations and the model picker. */
export type SessionMessage = Extract<
  FromWebview,
  {
    type:
      | 'setModel'
      | 'newChat'
      | 'listConversations'
      | 'openConversation'
      | 'renameConversation'
      | 'deleteConversation'
      | 'fork';
  }
>;

export interface ChatPanelHandlers {
  ask(prompt: string, model: string | null, noCache: boolean): void;
  stop(requestId: string): void;
  stopAll(): void;
  setApiKey(provider: string | null): void;
  session(message: SessionMessage): void;
  /** The webview is up (first time and after every re-creation). */
  ready(): void;
}

export class ChatPanel implements vscode.Disposable {
  private readonly host: WebviewPanelHost<FromWebview, ToWebview>;
  private entries: ChatEntry[] = [];
  private session: SessionView = emptySession();
  private pendingFocus = false;

  constructor(
    extensionUri: vscode.Uri,
    private readonly handlers: ChatPanelHandlers,
    log: vscode.LogOutputChannel,
  ) {
    this.host = new WebviewPanelHost(
      extensionUri,
      {
        viewType: Extension.CHAT_VIEW_TYPE,
        title: Extension.CHAT_TITLE,
        name: 'chat',
        html: chatHtml,
        parse: parseFromWebview,
        onMessage: (message) => this.onMessage(message),
        notReadyWhenHidden: true,
      },
      log,
    );
  }

  /** Open the panel beside the editor, or reveal it. */
  show(options: { focusInput?: boolean } = {}): void {
    this.host.show(vscode.ViewColumn.Beside, options.focusInput !== true);
    if (options.focusInput === true) {
      if (this.host.isReady) {
        this.host.post({ type: 'focusInput' });
      } else {
        this.pendingFocus = true;
      }
    }
  }

  /** Apply an action to the transcript and forward it to the webview. */
  dispatch(action: ChatAction): void {
    const next = reduce(this.entries, action);
    if (next === this.entries) {
      return;
    }
    this.entries = next;
    this.host.post({ type: 'action', action });
  }

  /** Replace the session view (conversation, list, models) and forward it. */
  setSession(session: SessionView): void {
    this.session = session;
    this.host.post({ type: 'session', session });
  }

  sessionView(): SessionView {
    return structuredClone(this.session);
  }

  entry(requestId: string): ChatEntry | undefined {
    return this.entries.find((e) => e.requestId === requestId);
  }

  /** A copy of the transcript, oldest first. */
  transcript(): ChatEntry[] {
    return structuredClone(this.entries);
  }

  /** True once the webview's script has run and asked for the transcript. */
  isHtmlReady(): boolean {
    return this.host.isReady;
  }

  dispose(): void {
    this.host.dispose();
  }

  private async onMessage(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.host.markReady();
        this.host.post({ type: 'reset', entries: this.entries, session: this.session });
        if (this.pendingFocus) {
          this.pendingFocus = false;
          this.host.post({ type: 'focusInput' });
        }
        this.handlers.ready();
        break;
      case 'ask':
        this.handlers.ask(message.prompt, message.model, message.noCache);
        break;
      case 'stop':
        if (message.requestId === '*') {
          this.handlers.stopAll();
        } else {
          this.handlers.stop(message.requestId);
        }
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage('$(check) Copied to the clipboard', 2000);
        break;
      case 'setApiKey':
        this.handlers.setApiKey(message.provider);
        break;
      case 'clear':
        this.dispatch({ type: 'cleared' });
        break;
      case 'openFile':
        await this.openFile(message);
        break;
      default:
        this.handlers.session(message);
    }
  }

  /** Open a context item's file at its lines; only files the transcript's context names. */
  private async openFile(range: FileRange): Promise<void> {
    const known = this.entries.some((e) => e.context?.items.some((i) => i.file === range.file) === true);
    if (!known) {
      return;
    }
    const uri = /^[a-z][\w+.-]*:\/\//i.test(range.file) ? vscode.Uri.parse(range.file) : vscode.Uri.file(range.file);
    if (uri.scheme !== 'file' && uri.scheme !== 'untitled') {
      return;
    }
    try {
      // 0-based lines, as the server sends them
      const start = range.startLine ?? 0;
      const end = Math.max(start, range.endLine ?? start);
      const selection = new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER);
      // beside the chat, never over it
      const chatColumn = this.host.viewColumn;
      const viewColumn =
        chatColumn === undefined || chatColumn !== vscode.ViewColumn.One ? vscode.ViewColumn.One : vscode.ViewColumn.Two;
      await vscode.window.showTextDocument(uri, { selection, viewColumn, preview: true, preserveFocus: true });
    } catch {
      void vscode.window.showWarningMessage(`Smart Router: ${range.file} could not be opened (moved or deleted?).`);
    }
  }
}
