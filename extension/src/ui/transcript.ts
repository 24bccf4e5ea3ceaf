/**
 * The chat transcript: its entries, the actions that change it, and the pure reducer that
 * applies them.
 *
 * The extension owns the transcript. It applies every action itself and posts the same
 * action to the webview, which runs this same reducer on its copy; a re-created webview
 * gets the whole transcript (`reset`). Also holds the messages exchanged with the webview.
 *
 * Pure module, bundled into both the extension and the webview; unit-tested in plain Node.
 */
import { formatUsd } from '../common/format';
import type { AskResult, CachedInfo, ConversationDetail, ErrorKind, RoutedParams } from '../common/protocol';
import { cachedInfo, contextView, exchanges, type ContextView, type RestoredInfo } from './chatSession';

export type { FromWebview, ToWebview } from './chatMessages';
export { parseFromWebview } from './chatMessages';

/** Where one exchange is. */
export type EntryStatus = 'routing' | 'streaming' | 'done' | 'error' | 'cancelled';

export interface ChatError {
  /** For the user: the cause and what to do. */
  message: string;
  /** JSON-RPC error code, null when the failure did not come from the server. */
  code: number | null;
  kind: ErrorKind | null;
  provider: string | null;
}

/** One prompt and its answer. */
export interface ChatEntry {
  requestId: string;
  prompt: string;
  status: EntryStatus;
  /** Chosen model, provider and why; null until `smartRouter/routed` arrives. */
  model: string | null;
  provider: string | null;
  reason: string | null;
  estimatedCostUsd: number | null;
  maxCostUsd: number | null;
  /** The router's explanation (intent, complexity, runner-up, savings), when the server gives one. */
  routing?: RoutingInfo;
  /** The answer so far (Markdown); the full answer once `result` is set. */
  text: string;
  result?: AskResult;
  error?: ChatError;
  /** The conversation the exchange belongs to, once the server said. */
  conversationId?: string;
  /** The stored answer's seq in its conversation (restored entries). */
  seq?: number;
  /** The context that went in, and how it was ranked. */
  context?: ContextView;
  /** The answer came from the response cache. */
  cached?: CachedInfo;
  /** Restored from a stored conversation: no live result. */
  restored?: RestoredInfo;
  /** Asked with the response cache skipped ("Ask afresh"). */
  noCache?: boolean;
}

/** Why the router chose the model, from `smartRouter/routed` (each part may be unknown). */
export interface RoutingInfo {
  intent: string | null;
  /** 0-1 */
  intentConfidence: number | null;
  /** 0-1 */
  complexity: number | null;
  runnerUp: string | null;
  savingsUsd: number | null;
  explanation: string | null;
}

function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** The explanation of a routed notification; undefined when the server sent none of it. */
export function routingInfo(r: RoutedParams): RoutingInfo | undefined {
  const info: RoutingInfo = {
    intent: text(r.intent),
    intentConfidence: finite(r.intentConfidence),
    complexity: finite(r.complexity),
    runnerUp: text(r.runnerUp),
    savingsUsd: finite(r.savingsUsd),
    explanation: text(r.explanation),
  };
  return Object.values(info).some((v) => v !== null) ? info : undefined;
}

/** One line for the chat: `debugging 92% · complexity 0.41 · runner-up gpt-4o · saves $0.0021 vs the strongest`. */
export function routingSummary(info: RoutingInfo): string {
  const parts: string[] = [];
  if (info.intent !== null) {
    const confidence = info.intentConfidence !== null ? ` ${Math.round(info.intentConfidence * 100)}%` : '';
    parts.push(`${info.intent.replace(/_/g, ' ')}${confidence}`);
  }
  if (info.complexity !== null) {
    parts.push(`complexity ${info.complexity.toFixed(2)}`);
  }
  if (info.runnerUp !== null) {
    parts.push(`runner-up ${info.runnerUp}`);
  }
  if (info.savingsUsd !== null && info.savingsUsd > 0) {
    parts.push(`saves ${formatUsd(info.savingsUsd)} vs the strongest`);
  }
  return parts.join(' · ');
}

export type ChatAction =
  | { type: 'started'; requestId: string; prompt: string; noCache?: boolean }
  | { type: 'routed'; routed: RoutedParams }
  | { type: 'delta'; requestId: string; delta: string }
  | { type: 'finished'; result: AskResult }
  | { type: 'failed'; requestId: string; error: ChatError }
  | { type: 'cancelled'; requestId: string }
  | { type: 'cleared' }
  /** Another conversation opened (or a new chat: no entries): the transcript is replaced. */
  | { type: 'loaded'; entries: ChatEntry[] };

/** Oldest entries beyond this are dropped. */
export const MAX_ENTRIES = 200;

export function isInFlight(entry: ChatEntry): boolean {
  return entry.status === 'routing' || entry.status === 'streaming';
}

function update(
  entries: readonly ChatEntry[],
  requestId: string,
  change: (entry: ChatEntry) => ChatEntry,
): ChatEntry[] {
  const index = entries.findIndex((e) => e.requestId === requestId);
  if (index < 0) {
    return entries as ChatEntry[];
  }
  const changed = change(entries[index]);
  if (changed === entries[index]) {
    return entries as ChatEntry[];
  }
  const next = entries.slice();
  next[index] = changed;
  return next;
}

/**
 * Apply one action. Returns the same array when nothing changes (unknown request id, a
 * late delta after the answer settled), a new one otherwise; entries are never mutated.
 */
export function reduce(entries: readonly ChatEntry[], action: ChatAction): ChatEntry[] {
  switch (action.type) {
    case 'started': {
      const entry: ChatEntry = {
        requestId: action.requestId,
        prompt: action.prompt,
        status: 'routing',
        model: null,
        provider: null,
        reason: null,
        estimatedCostUsd: null,
        maxCostUsd: null,
        text: '',
        ...(action.noCache === true ? { noCache: true } : {}),
      };
      const next = entries.filter((e) => e.requestId !== action.requestId);
      next.push(entry);
      return next.slice(-MAX_ENTRIES);
    }
    case 'routed': {
      const r = action.routed;
      const routing = routingInfo(r);
      const extra = sessionFields(r);
      return update(entries, r.requestId, (e) => {
        if (!isInFlight(e)) {
          return e;
        }
        // a later decision (a fallback) replaces the whole explanation
        const rest: ChatEntry = { ...e };
        delete rest.routing;
        return {
          ...rest,
          model: r.model,
          provider: r.provider,
          reason: r.reason,
          estimatedCostUsd: r.estimatedCostUsd,
          maxCostUsd: r.maxCostUsd,
          ...(routing !== undefined ? { routing } : {}),
          ...extra,
        };
      });
    }
    case 'delta':
      return update(entries, action.requestId, (e) =>
        isInFlight(e) && action.delta !== '' ? { ...e, status: 'streaming', text: e.text + action.delta } : e,
      );
    case 'finished': {
      const r = action.result;
      return update(entries, r.requestId, (e) => ({
        ...e,
        status: 'done',
        model: r.model,
        provider: r.provider,
        reason: r.reason || e.reason,
        text: r.text,
        result: r,
        error: undefined,
        ...sessionFields(r),
      }));
    }
    case 'failed':
      return update(entries, action.requestId, (e) =>
        isInFlight(e) ? { ...e, status: 'error', error: action.error } : e,
      );
    case 'cancelled':
      return update(entries, action.requestId, (e) => (isInFlight(e) ? { ...e, status: 'cancelled' } : e));
    case 'cleared':
      return entries.filter(isInFlight);
    case 'loaded':
      return action.entries.slice(-MAX_ENTRIES);
  }
}

/** The conversation, context and cache fields of a routed notification or a result. */
function sessionFields(
  r: Pick<AskResult, 'conversationId' | 'cached' | 'context' | 'contextMode'>,
): Pick<ChatEntry, 'conversationId' | 'cached' | 'context'> {
  const out: Pick<ChatEntry, 'conversationId' | 'cached' | 'context'> = {};
  if (typeof r.conversationId === 'string' && r.conversationId !== '') {
    out.conversationId = r.conversationId;
  }
  const cached = cachedInfo(r.cached);
  if (cached !== undefined) {
    out.cached = cached;
  }
  const context = contextView(r.context, r.contextMode);
  if (context !== undefined) {
    out.context = context;
  }
  return out;
}

/** A stored conversation as transcript entries: one a question, with its answer when stored. */
export function entriesFromConversation(detail: ConversationDetail): ChatEntry[] {
  return exchanges(detail).map((x) => {
    const a = x.answer;
    const entry: ChatEntry = {
      requestId: `${detail.id}#${x.userSeq}`,
      prompt: x.prompt,
      status: a !== undefined ? 'done' : 'cancelled',
      model: a?.model ?? null,
      provider: null,
      reason: null,
      estimatedCostUsd: null,
      maxCostUsd: null,
      text: a?.content ?? '',
      conversationId: detail.id,
    };
    if (a !== undefined) {
      entry.seq = a.seq;
      entry.restored = { costUsd: a.costUsd, ts: a.ts, intent: a.intent, cached: a.cached };
      const context = contextView(a.context, undefined);
      if (context !== undefined && context.items.length > 0) {
        entry.context = context;
      }
    }
    return entry;
  });
}

const ERROR_KINDS: ReadonlySet<string> = new Set<ErrorKind>([
  'no_model',
  'no_api_key',
  'unknown_model',
  'unknown_provider',
  'bad_settings',
  'bad_input',
  'context_too_long',
  'auth',
  'rate_limited',
  'provider_unavailable',
  'timeout',
  'connection',
  'malformed_response',
  'stream_interrupted',
  'provider_error',
  'keyring',
  'budget_exceeded',
]);

/** A `ChatError` from a JSON-RPC error's code, message and (unchecked) `data`. */
export function chatErrorFromResponse(code: number | null, message: string, data: unknown): ChatError {
  const d = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const kind = typeof d.kind === 'string' && ERROR_KINDS.has(d.kind) ? (d.kind as ErrorKind) : null;
  const provider = typeof d.provider === 'string' && d.provider !== '' ? d.provider : null;
  return { message: message.trim() || 'The request failed.', code, kind, provider };
}

/** Whether the error can be fixed by storing an API key (offer "Set API Key"). */
export function wantsApiKey(error: Pick<ChatError, 'kind'>): boolean {
  return error.kind === 'no_api_key' || error.kind === 'auth';
}
