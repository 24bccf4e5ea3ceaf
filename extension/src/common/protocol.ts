/**
 * Payloads of the custom LSP surface (docs/protocol.md), as TypeScript types.
 *
 * Types only: no runtime code, no `vscode` import. Field names are the wire names.
 */

export interface AskParams {
  requestId: string;
  prompt: string;
  /** A catalog id to force; null lets the router choose. */
  model: string | null;
  workspace: string | null;
}

export interface AskResult {
  requestId: string;
  model: string;
  provider: string;
  /** The full answer, Markdown. */
  text: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  costMicroUsd: number;
  usageEstimated: boolean;
  ttftMs: number | null;
  totalMs: number;
  reason: string;
}

export interface RouteParams {
  prompt: string;
  model: string | null;
}

export interface RouteResult {
  model: string;
  provider: string;
  reason: string;
  inputTokens: number;
  estimatedCostUsd: number;
  maxCostUsd: number;
  fallbacks: string[];
}

export interface ModelSpend {
  model: string;
  provider: string;
  costUsd: number;
  costMicroUsd: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface BudgetStatus {
  /** The user's local calendar day, `YYYY-MM-DD`. */
  day: string;
  todayUsd: number;
  todayMicroUsd: number;
  todayCalls: number;
  monthUsd: number;
  monthMicroUsd: number;
  /** Today's spend per model, most expensive first. */
  byModel: ModelSpend[];
}

export type ModelTier = 'frontier' | 'fast' | 'local';

export interface ModelInfo {
  id: string;
  provider: string;
  apiName: string;
  inputUsdPerMtok: number;
  outputUsdPerMtok: number;
  contextWindow: number;
  maxOutputTokens: number;
  tier: ModelTier;
  priceSource: string;
  priceDate: string | null;
  cachedInputUsdPerMtok: number | null;
  family: string;
  priors: Record<string, number>;
  priorSource: string;
  free: boolean;
  deprecationDate: string | null;
  providerKind: string;
  local: boolean;
  keyAvailable: boolean;
}

export interface ModelsResult {
  models: ModelInfo[];
}

export interface SetApiKeyParams {
  provider: string;
  /** An empty key deletes the stored one. */
  apiKey: string;
}

export interface SetApiKeyResult {
  provider: string;
  /** Name of the OS keyring backend that holds the key. */
  backend: string;
}

export interface RoutedParams {
  requestId: string;
  model: string;
  provider: string;
  reason: string;
  inputTokens: number;
  estimatedCostUsd: number;
  maxCostUsd: number;
}

export interface StreamParams {
  requestId: string;
  delta: string;
}

export type ErrorKind =
  | 'no_model'
  | 'no_api_key'
  | 'unknown_model'
  | 'unknown_provider'
  | 'bad_settings'
  | 'bad_input'
  | 'context_too_long'
  | 'auth'
  | 'rate_limited'
  | 'provider_unavailable'
  | 'timeout'
  | 'connection'
  | 'malformed_response'
  | 'stream_interrupted'
  | 'provider_error'
  | 'keyring';

/** `data` of a JSON-RPC error answered by the server. */
export interface ErrorData {
  kind: ErrorKind;
  provider?: string;
  model?: string;
  retryAfterSeconds?: number;
}
