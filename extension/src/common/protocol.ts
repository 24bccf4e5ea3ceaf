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
  /** Continue this conversation (absent: the server starts a new one). */
  conversationId?: string;
  /** Skip the response cache: ask the model afresh. */
  noCache?: boolean;
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
  /** The conversation the exchange was stored in (older servers leave these out). */
  conversationId?: string;
  /** Set when the answer came from the response cache (cost 0). */
  cached?: CachedInfo | null;
  /** The context that went in with the prompt, best first. */
  context?: ContextItemInfo[];
  contextMode?: ContextMode;
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
  conversationId?: string;
  context?: ContextItemInfo[];
  contextMode?: ContextMode;
  /** A cached answer: its text then comes as one stream delta. */
  cached?: CachedInfo | null;
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
  /** The judge's merged answer (`smartRouter.arenaJudge`); null or absent: no merge. */
  merged?: ArenaMerged | null;
  /** Why a configured judge did not merge; null when it did or no judge is set. */
  mergeSkipped?: string | null;
  /** Contestants and the merge. */
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
  /** The battle's worst case, reserved against the budgets (the judge's included). */
  estimatedMaxCostUsd: number;
  /** The model that merges the best answers once they are judged; null: no merge planned. */
  judge?: ArenaMember | null;
  /** Why a configured judge will not merge (unknown id, no key, over budget). */
  mergeSkipped?: string | null;
}

/** The judge's merged answer: a contestant's fields plus the models it merged, best first. */
export interface ArenaMerged extends ContestantResult {
  sources: string[];
}

/** `smartRouter/arenaMerge`: a piece of the merged answer; the first, with an empty `delta`, says the judge was called. */
export interface ArenaMergeParams {
  requestId: string;
  /** The judge. */
  model: string;
  sources: string[];
  delta: string;
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

// ---- Context and sessions (issue 7): conversations, context items, the response cache

/** How context was ranked: by embeddings, by keywords (while the model loads or without it), or off. */
export type ContextMode = 'embedding' | 'lexical' | 'off';

/** One piece of context sent with an ask, and why it was chosen. */
export interface ContextItemInfo {
  id: number;
  /** `document`, `selection`, `note` or `message`. */
  kind: string;
  label: string;
  /** File system path or URI of the document, null for notes and messages. */
  file: string | null;
  /** 0-based, inclusive. */
  startLine: number | null;
  endLine: number | null;
  score: number;
  reasons: string[];
  tokens: number;
  /** The first 200 characters. */
  preview: string;
}

/** An answer served from the response cache. */
export interface CachedInfo {
  kind: 'exact' | 'semantic';
  /** 0-1 (1 for an exact hit). */
  similarity: number;
  /** When the original answer was asked, ISO 8601. */
  askedAt: string;
  /** The model that gave the original answer. */
  model: string;
  /** The original prompt. */
  prompt: string;
  /** What the original answer cost, saved this time. */
  savedUsd: number;
}

export interface ConversationsParams {
  workspace?: string;
  limit?: number;
}

export interface ConversationSummary {
  id: string;
  title: string;
  workspace: string | null;
  createdAt: string;
  updatedAt: string;
  messages: number;
  lastModel: string | null;
  costUsd: number;
  forkedFrom: string | null;
}

export interface ConversationsResult {
  conversations: ConversationSummary[];
}

export interface ConversationMessage {
  seq: number;
  role: 'user' | 'assistant' | 'system';
  content: string;
  model: string | null;
  intent: string | null;
  costUsd: number;
  cached: boolean;
  ts: string;
  context: ContextItemInfo[];
}

/** `smartRouter/conversation`, `conversationFork`: a conversation with its messages. */
export interface ConversationDetail {
  id: string;
  title: string;
  workspace: string | null;
  forkedFrom: string | null;
  messages: ConversationMessage[];
}

export interface ConversationParams {
  id: string;
}

/** Fork copies messages 1..atSeq (all when absent) into a new conversation. */
export interface ConversationForkParams {
  id: string;
  atSeq?: number;
}

export interface ConversationDeleteResult {
  removed: boolean;
}

export interface ConversationRenameParams {
  id: string;
  title: string;
}

export interface ConversationRenameResult {
  id: string;
  title: string;
}

export interface ContextSearchParams {
  query: string;
  workspace?: string;
  file?: string;
  limit?: number;
}

export interface ContextSearchResult {
  mode: ContextMode;
  items: ContextItemInfo[];
}

export interface ContextStats {
  entries: { document: number; selection: number; note: number; message: number };
  files: number;
  conversations: number;
  messages: number;
  /** Entries with an embedding, and those waiting for one. */
  embedded: number;
  pending: number;
  cacheEntries: number;
  cacheHits: number;
  savedUsd: number;
  bytes: number;
  capBytes: number;
  retentionDays: number;
  mode: ContextMode;
  modeDetail: string;
  /** ISO 8601 of the oldest entry, null when empty. */
  oldest: string | null;
}

export type ContextClearScope = 'all' | 'project' | 'conversations' | 'cache' | 'notes';

export interface ContextClearParams {
  scope: ContextClearScope;
  workspace?: string;
}

export interface ContextClearResult {
  removed: { entries: number; conversations: number; cacheEntries: number };
}

export interface PinNoteParams {
  text: string;
  title?: string;
  workspace?: string;
}

export interface PinNoteResult {
  id: number;
}
