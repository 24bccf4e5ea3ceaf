/**
 * The chat webview panel ("Smart Router", beside the editor).
 *
 * The extension owns the transcript (ui/transcript.ts). Every change is applied here with
 * the pure reducer and the same action is posted to the webview, which runs the same reducer
 * on its copy and re-renders (throttled). When VS Code re-creates the webview (it is not
 * retained while hidden), the webview says `ready` and gets the whole transcript back.
 *
 * The webview asks, stops, copies and asks for a key only through messages, validated by
 * `parseFromWebview`.
 */
import * as vscode from 'vscode';
import { Extension } from '../common/constants';
import { chatHtml } from './chatHtml';
import {
  parseFromWebview,
  reduce,
  type ChatAction,
  type ChatEntry,
  type FromWebview,
  type ToWebview,
} from './transcript';
import { WebviewPanelHost } from './webviewPanel';

export interface ChatPanelHandlers {
  ask(prompt: string): void;
  stop(requestId: string): void;
  stopAll(): void;
  setApiKey(provider: string | null): void;
}

export class ChatPanel implements vscode.Disposable {
  private readonly host: WebviewPanelHost<FromWebview, ToWebview>;
  private entries: ChatEntry[] = [];
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
        this.host.post({ type: 'reset', entries: this.entries });
        if (this.pendingFocus) {
          this.pendingFocus = false;
          this.host.post({ type: 'focusInput' });
        }
        break;
      case 'ask':
        this.handlers.ask(message.prompt);
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
    }
  }
}
