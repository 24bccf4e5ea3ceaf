/**
 * What the chat panel shows about sessions and context, as pure data and text: the context
 * that went in with an answer (and why), a cached answer's badge, the conversation list's
 * lines, stored conversations turned back into transcript entries, and the model picker's
 * choices.
 *
 * Pure module, bundled into both the extension and the webview; unit-tested in plain Node.
 * Everything here reads server payloads defensively: a field that is missing or of the wrong
 * type is left out rather than trusted.
 */
import { formatTokens, formatUsd } from '../common/format';
import type {
  CachedInfo,
  ContextItemInfo,
  ContextMode,
  ConversationDetail,
  ConversationSummary,
  ModelInfo,
} from '../common/protocol';

/** The context of one answer: how it was ranked and the items, best first. */
export interface ContextView {
  /** null: not known (a stored answer's items do not say how they were ranked). */
  mode: ContextMode | null;
  items: ContextItemInfo[];
  tokens: number;
}

/** An answer restored from a stored conversation (no live result): its stored cost and time. */
export interface RestoredInfo {
  costUsd: number;
  ts: string;
  intent: string | null;
  /** The stored answer came from the response cache. */
  cached: boolean;
}

/** One choice of the model picker; `id` null: the router decides. */
export interface ModelChoice {
  id: string | null;
  label: string;
}

/** What the panel's header and composer show besides the transcript. */
export interface SessionView {
  /** The open conversation; null for a new chat (until its first answer returns an id). */
  conversationId: string | null;
  title: string | null;
  conversations: ConversationSummary[];
  models: ModelChoice[];
  /** The picked model; null: Auto. */
  model: string | null;
  /** A quiet line for the user (e.g. the list could not be loaded), or null. */
  notice: string | null;
}

export const AUTO_MODEL: ModelChoice = { id: null, label: 'Auto (router decides)' };

export function emptySession(): SessionView {
  return { conversationId: null, title: null, conversations: [], models: [AUTO_MODEL], model: null, notice: null };
}

const CONTEXT_MODES: ReadonlySet<string> = new Set<ContextMode>(['embedding', 'lexical', 'off']);

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function lineNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A context item from the wire, or undefined when it is not one. */
export function contextItem(raw: unknown): ContextItemInfo | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const label = str(r.label);
  if (label === null) {
    return undefined;
  }
  return {
    id: num(r.id),
    kind: str(r.kind) ?? 'document',
    label,
    file: str(r.file),
    startLine: lineNumber(r.startLine),
    endLine: lineNumber(r.endLine),
    score: num(r.score),
    reasons: Array.isArray(r.reasons) ? r.reasons.filter((x): x is string => typeof x === 'string') : [],
    tokens: Math.max(0, num(r.tokens)),
    preview: typeof r.preview === 'string' ? r.preview.slice(0, 200) : '',
  };
}

/** The context view of a routed notification or a result; undefined when the server sent none. */
export function contextView(items: unknown, mode: unknown): ContextView | undefined {
  if (!Array.isArray(items) && typeof mode !== 'string') {
    return undefined;
  }
  const parsed = (Array.isArray(items) ? items : [])
    .map(contextItem)
    .filter((x): x is ContextItemInfo => x !== undefined);
  const m = typeof mode === 'string' && CONTEXT_MODES.has(mode) ? (mode as ContextMode) : null;
  return { mode: m, items: parsed, tokens: parsed.reduce((sum, i) => sum + i.tokens, 0) };
}

/** `Context: 3 items (812 tokens, embedding)`; empty when context is off. */
export function contextSummary(view: ContextView): string {
  if (view.mode === 'off') {
    return '';
  }
  if (view.items.length === 0) {
    return 'Context: none found';
  }
  const n = view.items.length;
  const how = view.mode !== null ? `, ${view.mode}` : '';
  return `Context: ${n} item${n === 1 ? '' : 's'} (${formatTokens(view.tokens)} tokens${how})`;
}

/** The quiet note under a lexical context: why it is not ranked by meaning. */
export function contextModeNote(mode: ContextMode | null): string | null {
  return mode === 'lexical' ? 'ranked by keywords while the embedding model loads' : null;
}

/** `src/app.ts:10-24` (the last three path segments of a path or URI; lines counted from 1). */
export function itemLocation(item: Pick<ContextItemInfo, 'file' | 'startLine' | 'endLine'>): string | null {
  if (item.file === null) {
    return null;
  }
  const path = item.file.replace(/^file:\/\//, '');
  const short = path.split(/[\\/]/).filter((p) => p !== '').slice(-3).join('/');
  if (item.startLine === null) {
    return short;
  }
  // the wire's lines are 0-based; people count from 1
  const end = item.endLine !== null && item.endLine !== item.startLine ? `-${item.endLine + 1}` : '';
  return `${short}:${item.startLine + 1}${end}`;
}

/** A cached hit from the wire, or undefined. */
export function cachedInfo(raw: unknown): CachedInfo | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const kind = r.kind === 'exact' || r.kind === 'semantic' ? r.kind : undefined;
  if (kind === undefined) {
    return undefined;
  }
  return {
    kind,
    similarity: Math.min(1, Math.max(0, num(r.similarity, kind === 'exact' ? 1 : 0))),
    askedAt: typeof r.askedAt === 'string' ? r.askedAt : '',
    model: typeof r.model === 'string' ? r.model : '',
    prompt: typeof r.prompt === 'string' ? r.prompt : '',
    savedUsd: Math.max(0, num(r.savedUsd)),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `22 Nov 2026, 14:03` in local time; the input unchanged when it is not a date. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  const hh = d.getHours().toString().padStart(2, '0');
  const mm = d.getMinutes().toString().padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${hh}:${mm}`;
}

/** `just now`, `5 min ago`, `3 h ago`, `yesterday`, `4 days ago`, else the date. */
export function relativeTime(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    return '';
  }
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) {
    return 'just now';
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ago`;
  }
  if (s < 86_400) {
    return `${Math.floor(s / 3600)} h ago`;
  }
  const days = Math.floor(s / 86_400);
  if (days === 1) {
    return 'yesterday';
  }
  return days < 7 ? `${days} days ago` : formatDateTime(iso).replace(/, \d\d:\d\d$/, '');
}

/** The badge: `Cached · exact` or `Cached · 94% similar`. */
export function cachedBadge(c: CachedInfo): string {
  return c.kind === 'exact' ? 'Cached · exact' : `Cached · ${Math.round(c.similarity * 100)}% similar`;
}

/** `First answered by gpt-4o-mini on 22 Nov 2026, 14:03 · $0 — saved ~$0.0012`. */
export function cachedDetail(c: CachedInfo): string {
  const who = c.model !== '' ? ` by ${c.model}` : '';
  const when = c.askedAt !== '' ? ` on ${formatDateTime(c.askedAt)}` : '';
  return `First answered${who}${when} · $0 — saved ~${formatUsd(c.savedUsd)}`;
}

/** `3 h ago · gpt-4o-mini · $0.0012 · 4 messages` */
export function conversationLine(c: ConversationSummary, now: number): string {
  const parts = [relativeTime(c.updatedAt, now)];
  if (c.lastModel !== null && c.lastModel !== '') {
    parts.push(c.lastModel);
  }
  parts.push(formatUsd(c.costUsd));
  parts.push(`${c.messages} message${c.messages === 1 ? '' : 's'}`);
  if (c.forkedFrom !== null) {
    parts.push('fork');
  }
  return parts.filter((p) => p !== '').join(' · ');
}

/** One exchange of a stored conversation: the question and its answer (if any). */
export interface StoredExchange {
  prompt: string;
  userSeq: number;
  answer: ConversationDetail['messages'][number] | undefined;
}

/** Pair each user message with the assistant message that follows it. */
export function exchanges(detail: ConversationDetail): StoredExchange[] {
  const out: StoredExchange[] = [];
  for (const m of detail.messages) {
    if (m.role === 'user') {
      out.push({ prompt: m.content, userSeq: m.seq, answer: undefined });
    } else if (m.role === 'assistant' && out.length > 0 && out[out.length - 1].answer === undefined) {
      out[out.length - 1].answer = m;
    }
  }
  return out;
}

/**
 * The seq to fork at so that the fork ends with this answer: the stored exchange with the same
 * prompt and answer (the last such), else the one at the same position among the answers.
 */
export function forkSeqFor(detail: ConversationDetail, prompt: string, text: string, position: number): number | undefined {
  const stored = exchanges(detail).filter((e) => e.answer !== undefined);
  const same = stored.filter((e) => e.prompt === prompt && e.answer?.content === text);
  const hit = same.length > 0 ? same.at(-1) : position >= 0 ? stored.at(position) : undefined;
  return hit?.answer?.seq;
}

/** Picker choices: Auto, then the catalog models that can answer now (key stored, or local). */
export function modelChoices(models: readonly ModelInfo[]): ModelChoice[] {
  const usable = models
    .filter((m) => m.keyAvailable || m.local)
    .map((m) => ({ id: m.id, label: `${m.id} (${m.provider})` }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return [AUTO_MODEL, ...usable];
}

/** The footer of a restored answer: `gpt-4o-mini · $0.0012 · 22 Nov 2026, 14:03` (or `from the cache · $0`). */
export function restoredFooter(model: string | null, r: RestoredInfo): string {
  const parts = [model ?? 'unknown model'];
  parts.push(r.cached ? 'from the cache · $0' : formatUsd(r.costUsd));
  if (r.ts !== '') {
    parts.push(formatDateTime(r.ts));
  }
  return parts.join(' · ');
}
