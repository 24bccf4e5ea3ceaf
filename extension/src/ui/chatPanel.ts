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
import { chatHtml, makeNonce } from './chatHtml';
import {
  parseFromWebview,
  reduce,
  type ChatAction,
  type ChatEntry,
  type FromWebview,
  type ToWebview,
} from './transcript';

export interface ChatPanelHandlers {
  ask(prompt: string): void;
  stop(requestId: string): void;
  stopAll(): void;
  setApiKey(provider: string | null): void;
}

export class ChatPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private entries: ChatEntry[] = [];
  private htmlReady = false;
  private pendingFocus = false;
  private readonly panelDisposables: vscode.Disposable[] = [];
  private readonly mediaRoot: vscode.Uri;

  constructor(
    extensionUri: vscode.Uri,
    private readonly handlers: ChatPanelHandlers,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(extensionUri, 'media');
  }

  /** Open the panel beside the editor, or reveal it. */
  show(options: { focusInput?: boolean } = {}): void {
    const preserveFocus = options.focusInput !== true;
    if (this.panel === undefined) {
      this.panel = this.create(preserveFocus);
    } else {
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus);
    }
    if (options.focusInput === true) {
      if (this.htmlReady) {
        this.post({ type: 'focusInput' });
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
    this.post({ type: 'action', action });
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
    return this.panel !== undefined && this.htmlReady;
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposePanel();
  }

  private create(preserveFocus: boolean): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      Extension.CHAT_VIEW_TYPE,
      Extension.CHAT_TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [this.mediaRoot],
        retainContextWhenHidden: false,
      },
    );
    this.htmlReady = false;
    const webview = panel.webview;
    webview.html = chatHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'dist', 'chat.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'chat.css')).toString(),
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseFromWebview(raw);
        if (message === undefined) {
          this.log.warn('Ignored an unexpected message from the chat view.');
          return;
        }
        void this.onMessage(message);
      }),
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) {
          // Not retained while hidden: the webview starts afresh and says `ready` again.
          this.htmlReady = false;
        }
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.htmlReady = false;
        this.disposePanel();
      }),
    );
    return panel;
  }

  private async onMessage(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.htmlReady = true;
        this.post({ type: 'reset', entries: this.entries });
        if (this.pendingFocus) {
          this.pendingFocus = false;
          this.post({ type: 'focusInput' });
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

  private post(message: ToWebview): void {
    if (this.panel !== undefined && this.htmlReady) {
      void this.panel.webview.postMessage(message);
    }
  }

  private disposePanel(): void {
    for (const d of this.panelDisposables.splice(0)) {
      d.dispose();
    }
  }
}
