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
  BudgetStatus,
  ErrorData,
  ErrorKind,
  ModelInfo,
  ModelSpend,
  RoutedParams,
  SetApiKeyResult,
  StreamParams,
} from './common/protocol';
export type { ChatEntry, ChatError, EntryStatus } from './ui/transcript';

import type { ChatEntry } from './ui/transcript';

export interface StatusBarState {
  /** e.g. `$(graph) $0.0124 today`, `$(sync~spin) Smart Router`, `$(error) Smart Router` */
  text: string;
  /** The tooltip as Markdown source (or plain text). */
  tooltip: string;
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
  /** True once the chat webview has loaded its script and asked for the transcript. */
  chatHtmlReady(): boolean;
}
