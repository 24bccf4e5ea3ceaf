/**
 * What `activate` returns: the extension's API for tests.
 *
 * Import with `import type { SmartRouterApi } from '.../extension/src/api'` and get it with
 * `vscode.extensions.getExtension<SmartRouterApi>('smart-router.smart-router')!.activate()`.
 * Types only.
 */
import type { LanguageClient } from 'vscode-languageclient/node';

export type {
  AskParams,
  AskResult,
  BudgetAlertParams,
  BudgetState,
  BudgetStatus,
  ErrorData,
  ErrorKind,
  ModelInfo,
  ModelSpend,
  RoutedParams,
  SetApiKeyResult,
  StreamParams,
  UsageReport,
} from './common/protocol';
export type { ChatEntry, ChatError, EntryStatus } from './ui/transcript';
export type { SessionView } from './ui/chatSession';
export type { CodeActionOutcome, PendingEdit } from './commands/codeActions';
export type { UsageSnapshot } from './ui/usagePanel';
export type { ArenaSnapshot } from './ui/arenaPanel';
export type { ArenaBattle, ArenaColumn, VoteChoice } from './ui/arenaState';
export type { LeaderboardView, RenderedArena } from './ui/arenaMessages';
export type { ArenaResult, ArenaVoteResult, LeaderboardEntry, LeaderboardResult } from './common/protocol';
export type { RenderedSummary } from './ui/usageMessages';

import type { PendingEdit } from './commands/codeActions';
import type { ChatEntry } from './ui/transcript';
import type { SessionView } from './ui/chatSession';
import type { UsageSnapshot } from './ui/usagePanel';
import type { ArenaSnapshot } from './ui/arenaPanel';
import type { VoteChoice } from './ui/arenaState';
import type { ArenaVoteResult } from './common/protocol';

export interface StatusBarState {
  /** e.g. `$(graph) $0.0124 today`, `$(sync~spin) Smart Router`, `$(error) Smart Router` */
  text: string;
  /** The tooltip as Markdown source (or plain text). */
  tooltip: string;
  /** Theme colour id of the background, e.g. `statusBarItem.warningBackground`; null: none. */
  background: string | null;
  /** Command a click runs. */
  command: string | null;
}

export interface SmartRouterApi {
  /**
   * Resolves once the server has answered the first `smartRouter/budgetStatus` (the cost
   * meter shows today's spend). Rejects if the first server start fails (no usable Python,
   * sidecar not installed, server crashed on start); the error message says why.
   */
  ready: Promise<void>;
  /** The running language client, if any. */
  client(): LanguageClient | undefined;
  /** The cost meter's current text and tooltip. */
  statusBar(): StatusBarState;
  /** A copy of the chat panel's transcript, oldest first. */
  transcript(): ChatEntry[];
  /** The chat panel's session: open conversation, the conversation list, the model picker. */
  chatSession(): SessionView;
  /** True once the chat webview has loaded its script and asked for the transcript. */
  chatHtmlReady(): boolean;
  /** Edits proposed by code actions that wait for Apply or Discard, oldest first. */
  pendingEdits(): PendingEdit[];
  /** The usage dashboard: open or not, the last report and what the webview drew from it. */
  usage(): UsageSnapshot;
  /** The arena panel: the current battle, the leaderboard and what the webview drew. */
  arena(): ArenaSnapshot;
  /** Vote on the current battle as its buttons do (`column`: display position). */
  arenaVote(choice: VoteChoice): Promise<ArenaVoteResult | undefined>;
}
