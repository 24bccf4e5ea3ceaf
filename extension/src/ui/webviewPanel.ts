/**
 * The plumbing shared by the webview panels (chat, arena, usage): create the panel with the
 * page from media/ (`media/<name>.css`, `media/dist/<name>.js`), reveal it, validate what the
 * webview sends, post to it only once its script has said `ready`, and forget it when closed.
 *
 * The webviews are not retained while hidden: VS Code re-creates them when shown again and
 * the script says `ready` anew, so the owner sends everything again on `ready`.
 */
import * as vscode from 'vscode';
import { makeNonce, type WebviewHtmlParts } from './webviewHtml';

export interface WebviewPanelOptions<In> {
  viewType: string;
  title: string;
  /** The page's files (`media/<name>.css`, `media/dist/<name>.js`) and the name in the log. */
  name: string;
  html(parts: WebviewHtmlParts): string;
  /** Validate a message from the webview (undefined: ignored, with a warning). */
  parse(raw: unknown): In | undefined;
  onMessage(message: In): void | Promise<void>;
  /** The panel was closed (by the user or `dispose`). */
  onDidClose?(): void;
  /** Stop posting when the panel is hidden, until the re-created webview says `ready`. */
  notReadyWhenHidden: boolean;
}

export class WebviewPanelHost<In, Out> implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private htmlReady = false;
  private readonly panelDisposables: vscode.Disposable[] = [];
  private readonly mediaRoot: vscode.Uri;

  constructor(
    extensionUri: vscode.Uri,
    private readonly options: WebviewPanelOptions<In>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(extensionUri, 'media');
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** The editor column the panel is in, if open. */
  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel?.viewColumn;
  }

  /** True once the webview's script has run and said `ready`. */
  get isReady(): boolean {
    return this.panel !== undefined && this.htmlReady;
  }

  /** The webview said `ready`: from now on `post` sends. */
  markReady(): void {
    this.htmlReady = true;
  }

  /** Open the panel in `column`, or reveal it where it is; true when it was created. */
  show(column: vscode.ViewColumn, preserveFocus?: boolean): boolean {
    if (this.panel !== undefined) {
      this.panel.reveal(this.panel.viewColumn ?? column, preserveFocus);
      return false;
    }
    this.panel = this.create(column, preserveFocus);
    return true;
  }

  /** Send to the webview if it is ready (else it gets everything on `ready`). */
  post(message: Out): void {
    if (this.panel !== undefined && this.htmlReady) {
      void this.panel.webview.postMessage(message);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposePanel();
  }

  private create(viewColumn: vscode.ViewColumn, preserveFocus: boolean | undefined): vscode.WebviewPanel {
    const { name } = this.options;
    const panel = vscode.window.createWebviewPanel(
      this.options.viewType,
      this.options.title,
      { viewColumn, preserveFocus },
      {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [this.mediaRoot],
        retainContextWhenHidden: false,
      },
    );
    this.htmlReady = false;
    const webview = panel.webview;
    webview.html = this.options.html({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'dist', `${name}.js`)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, `${name}.css`)).toString(),
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = this.options.parse(raw);
        if (message === undefined) {
          this.log.warn(`Ignored an unexpected message from the ${name} view.`);
          return;
        }
        void this.options.onMessage(message);
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.htmlReady = false;
        this.options.onDidClose?.();
        this.disposePanel();
      }),
    );
    if (this.options.notReadyWhenHidden) {
      this.panelDisposables.push(
        panel.onDidChangeViewState((e) => {
          if (!e.webviewPanel.visible) {
            this.htmlReady = false;
          }
        }),
      );
    }
    return panel;
  }

  private disposePanel(): void {
    for (const d of this.panelDisposables.splice(0)) {
      d.dispose();
    }
  }
}
