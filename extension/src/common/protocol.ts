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
  /** A preset intent (from a code action): the router skips classification. Absent: classify. */
  intent?: string;
  /** What the editor knows about the request (code actions); absent for a plain ask. */
  context?: AskEditorContext;
}

/** `AskParams.context`: the file, its language, the selected code and the diagnostics in range. */
export interface AskEditorContext {
  languageId: string | null;
  filePath: string | null;
  selection: string | null;
  diagnostics: string[];
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
  /** A preset intent: classification is skipped. */
  intent?: string;
  context?: AskEditorContext;
  workspace?: string | null;
}

export interface RouteResult {
  model: string;
  provider: string;
  /** One line: model, intent, complexity, quality and cost. */
  reason: string;
  inputTokens: number;
  estimatedCostUsd: number;
  maxCostUsd: number;
  fallbacks: string[];
  intent: string | null;
  intentConfidence: number | null;
  complexity: number | null;
  /** The next-best different model. */
  runnerUp: string | null;
  /** Estimated cost of the strongest candidate minus the chosen one's. */
  savingsUsd: number | null;
  /** The decision in words: why this model, the runner-up, the savings, rules applied. */
  explanation: string;
  /** Names of the smartRouter.rules that matched. */
  rules: string[];
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

export type BudgetName = 'daily' | 'monthly' | 'perRequest';
export type BudgetScope = 'global' | 'workspace';
export type BudgetMode = 'hard' | 'soft';
export type BudgetLevel = 'ok' | 'warning' | 'exceeded';

/** One budget that applies, with what is spent and held against it in its current period. */
export interface BudgetState {
  name: BudgetName;
  scope: BudgetScope;
  /** The workspace key of a workspace budget, else null. */
  workspace: string | null;
  limitUsd: number;
  spentUsd: number;
  /** Held by calls in flight (their maximum possible cost). */
  reservedUsd: number;
  percent: number;
  mode: BudgetMode;
  /** End of the period, ISO 8601 with offset; null for the per-request cap. */
  resetsAt: string | null;
  level: BudgetLevel;
}

/** Projected spend to the end of the day and of the month, from the recent rate. */
export interface Forecast {
  dayUsd: number;
  monthUsd: number;
}

export interface BudgetStatusParams {
  workspace?: string;
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
  budgets: BudgetState[];
  forecast: Forecast;
  /** IANA zone of the budget periods. */
  timeZone: string;
}

/** `smartRouter/budgetAlert`: a budget crossed one of the alert thresholds (once per period). */
export interface BudgetAlertParams {
  budget: BudgetState;
  /** Percent of the limit, e.g. 80. */
  threshold: number;
  message: string;
}

export type UsageGrouping = 'model' | 'intent' | 'day' | 'workspace';

export interface UsageReportParams {
  /** `YYYY-MM-DD`, inclusive. */
  since?: string;
  until?: string;
  by?: UsageGrouping;
  workspace?: string;
}

export interface UsageGroup {
  key: string;
  costUsd: number;
  costMicroUsd: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface UsageDay {
  day: string;
  /** USD per model on that day. */
  byModel: Record<string, number>;
}

export interface UsageIntent {
  key: string;
  costUsd: number;
  calls: number;
}

/** One provider call attempt of the ledger. */
export interface UsageCall {
  ts: string;
  model: string;
  provider: string;
  intent: string | null;
  workspace: string | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number | null;
  status: string;
}

export interface UsageReport {
  since: string;
  until: string;
  totalUsd: number;
  totalMicroUsd: number;
  calls: number;
  by: UsageGrouping;
  groups: UsageGroup[];
  days: UsageDay[];
  intents: UsageIntent[];
  /** The most expensive calls, most expensive first. */
  top: UsageCall[];
  budgets: BudgetState[];
  forecast: Forecast;
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
  /** Circuit breaker: closed (in use), open (skipped after failures), half-open (on trial). */
  circuit?: 'closed' | 'open' | 'half-open';
  /** Moving averages since the server started; null before the model's first call. */
  latencyMs?: number | null;
  ttftMs?: number | null;
  errorRate?: number | null;
  calls?: number;
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
  /** The routing explanation; older servers leave these out, a field may be null. */
  intent?: string | null;
  intentConfidence?: number | null;
  complexity?: number | null;
  runnerUp?: string | null;
  /** Saved against the strongest candidate. */
  savingsUsd?: number | null;
  /** Why this model, in words. */
  explanation?: string | null;
}

/** `smartRouter/status`: a component's state changed (e.g. the embedding model is ready). */
export interface ComponentStatusParams {
  component: string;
  state: string;
  detail?: string | null;
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
  | 'keyring'
  | 'budget_exceeded';

/** `data` of a JSON-RPC error answered by the server. */
export interface ErrorData {
  kind: ErrorKind;
  provider?: string;
  model?: string;
  retryAfterSeconds?: number;
  /** budget_exceeded: the budget that refused, and its numbers. */
  budget?: string;
  limitUsd?: number;
  spentUsd?: number;
  reservedUsd?: number;
  resetsAt?: string | null;
}

// ---- Arena (docs/arena.md): `smartRouter/arena`, `arenaVote`, `leaderboard` and their notifications

/** `smartRouter/arena`: every member of a battle group (or the models listed) answers at once. */
export interface ArenaParams {
  requestId: string;
  prompt: string;
  /** `frontier`, `fast`, `hybrid` (the server's default) or a group of `smartRouter.arenaGroups`. */
  group?: string;
  /** Catalog ids to battle instead of a group (two or more). */
  models?: string[];
  context?: AskEditorContext;
  workspace?: string;
  /** The client hides model names until the vote; the server answers the same either way. */
  blind?: boolean;
  /** LSP work-done progress: cancelling it stops the contestants, the verdict judges what finished. */
  workDoneToken?: string;
}

export interface ArenaMember {
  model: string;
  provider: string;
}

/** A model of the group left out of the battle, and why (no key, retired, not running). */
export interface ArenaDropped {
  model: string;
  reason: string;
}

export type ContestantStatus = 'ok' | 'error' | 'cancelled';

export interface ContestantResult {
  model: string;
  provider: string;
  status: ContestantStatus;
  /** The answer (Markdown); what arrived before a stop or a failure. */
  text: string;
  error: { message: string; kind: string } | null;
  ttftMs: number | null;
  totalMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  costMicroUsd: number;
}

/** The convergence pick: the best answer, why, and each contestant's score (0-1). */
export interface ArenaPick {
  model: string;
  reason: string;
  scores: Record<string, number>;
}

export interface ArenaResult {
  requestId: string;
  battleId: string;
  group: string;
  intent: string;
  /** Column order. */
  members: ArenaMember[];
  dropped: ArenaDropped[];
  contestants: ContestantResult[];
  pick: ArenaPick | null;
  totalCostUsd: number;
  totalCostMicroUsd?: number;
  estimatedMaxCostUsd?: number;
  wallMs: number;
}

/** `smartRouter/arenaStarted`: the battle's members, before any token. */
export interface ArenaStartedParams {
  requestId: string;
  battleId: string;
  group: string;
  intent?: string;
  members: ArenaMember[];
  dropped: ArenaDropped[];
  /** The battle's worst case, reserved against the budgets. */
  estimatedMaxCostUsd: number;
}

/** `smartRouter/arenaStream`: a piece of one contestant's answer. */
export interface ArenaStreamParams {
  requestId: string;
  model: string;
  delta: string;
}

/** `smartRouter/arenaContestant`: one contestant finished (answered, failed or stopped). */
export interface ArenaContestantParams {
  requestId: string;
  contestant: ContestantResult;
}

/** `left`/`right`: two contestants; `pick` (with `winner`): one of N; `tie`, `all_bad`: any. */
export type ArenaVoteKind = 'left' | 'right' | 'tie' | 'all_bad' | 'pick';

export interface ArenaVoteParams {
  battleId: string;
  vote: ArenaVoteKind;
  winner?: string;
}

/** One model of the personal leaderboard: Bradley-Terry rating with its 95 % interval. */
export interface LeaderboardEntry {
  model: string;
  rating: number;
  ciLow: number;
  ciHigh: number;
  rank?: number;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
}

export interface ArenaVoteResult {
  battleId: string;
  recorded: boolean;
  leaderboard: LeaderboardEntry[];
}

export interface LeaderboardParams {
  intent?: string;
}

export interface LeaderboardResult {
  intent: string | null;
  entries: LeaderboardEntry[];
}

/** `data` of the budget refusal of a battle: its worst case and a smaller battle that fits. */
export interface ArenaBudgetErrorData extends ErrorData {
  estimateUsd?: number;
  suggestion?: { group: string; models: string[]; maxCostUsd: number } | null;
}
