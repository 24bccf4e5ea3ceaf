/**
 * The arena webview panel ("Smart Router Arena"): the current battle, one column per
 * contestant, and the user's leaderboard under it.
 *
 * The extension owns the battle (ui/arenaState.ts). Every change is applied here with the
 * pure reducer and the same action is posted to the webview, which runs the same reducer on
 * its copy and re-renders (throttled). When VS Code re-creates the webview (it is not retained
 * while hidden), the webview says `ready` and gets the battle and the leaderboard back.
 *
 * The webview votes, stops, copies, inserts and filters the leaderboard only through
 * messages, validated by `parseFromArenaWebview`; copy and insert name a column, and the text
 * comes from the extension's own copy of the battle.
 */
import * as vscode from 'vscode';
import { Extension } from '../common/constants';
import { arenaHtml } from './arenaHtml';
import {
  EMPTY_LEADERBOARD,
  parseFromArenaWebview,
  type AnswerRef,
  type ArenaSection,
  type FromArenaWebview,
  type LeaderboardView,
  type RenderedArena,
  type ToArenaWebview,
} from './arenaMessages';
import { reduceBattle, type ArenaAction, type ArenaBattle, type VoteChoice } from './arenaState';
import { WebviewPanelHost } from './webviewPanel';

export interface ArenaPanelHandlers {
  vote(choice: VoteChoice): void;
  stop(): void;
  copy(column: AnswerRef): void;
  insert(column: AnswerRef): void;
  leaderboard(intent: string | null): void;
}

/** What the arena panel shows now (for tests). */
export interface ArenaSnapshot {
  open: boolean;
  htmlReady: boolean;
  battle: ArenaBattle | null;
  leaderboard: LeaderboardView;
  /** What the webview said it rendered last. */
  rendered: RenderedArena | undefined;
}

export class ArenaPanel implements vscode.Disposable {
  private readonly host: WebviewPanelHost<FromArenaWebview, ToArenaWebview>;
  private battle: ArenaBattle | null = null;
  private board: LeaderboardView = EMPTY_LEADERBOARD;
  private rendered: RenderedArena | undefined;
  private pendingSection: ArenaSection | undefined;

  constructor(
    extensionUri: vscode.Uri,
    private readonly handlers: ArenaPanelHandlers,
    log: vscode.LogOutputChannel,
  ) {
    this.host = new WebviewPanelHost(
      extensionUri,
      {
        viewType: Extension.ARENA_VIEW_TYPE,
        title: Extension.ARENA_TITLE,
        name: 'arena',
        html: arenaHtml,
        parse: parseFromArenaWebview,
        onMessage: (message) => this.onMessage(message),
        onDidClose: () => {
          this.rendered = undefined;
        },
        notReadyWhenHidden: true,
      },
      log,
    );
  }

  /** Open the panel in the active editor group (or reveal it) and scroll to `section`. */
  show(section: ArenaSection = 'battle'): void {
    this.host.show(vscode.ViewColumn.Active, true);
    if (this.host.isReady) {
      this.host.post({ type: 'reveal', section });
    } else {
      this.pendingSection = section;
    }
  }

  get isOpen(): boolean {
    return this.host.isOpen;
  }

  /** Apply an action to the battle and forward it to the webview. */
  dispatch(action: ArenaAction): void {
    const next = reduceBattle(this.battle, action);
    if (next === this.battle) {
      return;
    }
    this.battle = next;
    this.host.post({ type: 'action', action });
  }

  current(): ArenaBattle | null {
    return this.battle;
  }

  leaderboard(): LeaderboardView {
    return this.board;
  }

  setLeaderboard(view: LeaderboardView): void {
    this.board = view;
    this.host.post({ type: 'leaderboard', leaderboard: view });
  }

  snapshot(): ArenaSnapshot {
    return {
      open: this.host.isOpen,
      htmlReady: this.host.isReady,
      battle: structuredClone(this.battle),
      leaderboard: structuredClone(this.board),
      rendered: this.rendered === undefined ? undefined : structuredClone(this.rendered),
    };
  }

  dispose(): void {
    this.host.dispose();
  }

  private async onMessage(message: FromArenaWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.host.markReady();
        this.host.post({ type: 'reset', battle: this.battle, leaderboard: this.board });
        if (this.pendingSection !== undefined) {
          this.host.post({ type: 'reveal', section: this.pendingSection });
          this.pendingSection = undefined;
        }
        this.handlers.leaderboard(this.board.intent);
        break;
      case 'vote':
        this.handlers.vote(message.choice);
        break;
      case 'stop':
        this.handlers.stop();
        break;
      case 'copy':
        this.handlers.copy(message.column);
        break;
      case 'insert':
        this.handlers.insert(message.column);
        break;
      case 'copyCode':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage('$(check) Copied to the clipboard', 2000);
        break;
      case 'leaderboard':
        this.handlers.leaderboard(message.intent);
        break;
      case 'rendered':
        this.rendered = message.summary;
        break;
    }
  }
}
