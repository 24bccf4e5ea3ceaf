/**
 * Messages between the arena webview and the extension, the leaderboard it shows, and the
 * checks on what the webview sends (its page holds model output: trust nothing).
 *
 * Pure module (no `vscode` import): shared by ui/arenaPanel.ts and media/src/arena.ts,
 * unit-tested in plain Node.
 */
import type { LeaderboardEntry } from '../common/protocol';
import { INTENTS, type ArenaAction, type ArenaBattle, type VoteChoice } from './arenaState';

/** The leaderboard section: for one intent (null: all), loading or with its rows. */
export interface LeaderboardView {
  intent: string | null;
  entries: LeaderboardEntry[];
  loading: boolean;
  error: string | null;
}

export const EMPTY_LEADERBOARD: LeaderboardView = { intent: null, entries: [], loading: false, error: null };

/** What the webview reports it shows, so that tests in a real VS Code can check it. */
export interface RenderedArena {
  /** Column headers as shown (labels in blind mode). */
  headers: string[];
  /** Display position of the highlighted pick, -1 for none. */
  picked: number;
  /** The pick's reason as shown. */
  reason: string;
  /** Columns showing an error. */
  errors: number;
  /** Labels of the enabled vote buttons. */
  voteButtons: string[];
  /** The recorded vote's button label, '' for none. */
  voted: string;
  leaderboardRows: number;
  /** The merged answer's heading as shown (`Merged answer (by ...)`), '' when hidden. */
  merged: string;
}

/** An answer the webview names: a column's display position, or the judge's merged answer. */
export type AnswerRef = number | 'merged';

export type ArenaSection = 'battle' | 'leaderboard';

export type ToArenaWebview =
  | { type: 'reset'; battle: ArenaBattle | null; leaderboard: LeaderboardView }
  | { type: 'action'; action: ArenaAction }
  | { type: 'leaderboard'; leaderboard: LeaderboardView }
  | { type: 'reveal'; section: ArenaSection };

export type FromArenaWebview =
  | { type: 'ready' }
  | { type: 'vote'; choice: VoteChoice }
  /** Copy or insert a column's answer (`column` is a display position) or the merged one. */
  | { type: 'copy'; column: AnswerRef }
  | { type: 'insert'; column: AnswerRef }
  /** A code block's copy button (the text is the block's own). */
  | { type: 'copyCode'; text: string }
  | { type: 'stop' }
  | { type: 'leaderboard'; intent: string | null }
  | { type: 'rendered'; summary: RenderedArena };

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 64;
}

function parseChoice(v: unknown): VoteChoice | undefined {
  if (typeof v !== 'object' || v === null) {
    return undefined;
  }
  const c = v as Record<string, unknown>;
  switch (c.kind) {
    case 'tie':
    case 'all_bad':
      return { kind: c.kind };
    case 'better':
      return isIndex(c.column) ? { kind: 'better', column: c.column } : undefined;
    default:
      return undefined;
  }
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function parseSummary(v: unknown): RenderedArena | undefined {
  if (typeof v !== 'object' || v === null) {
    return undefined;
  }
  const s = v as Record<string, unknown>;
  if (
    isStringArray(s.headers) &&
    typeof s.picked === 'number' &&
    typeof s.reason === 'string' &&
    typeof s.errors === 'number' &&
    isStringArray(s.voteButtons) &&
    typeof s.voted === 'string' &&
    typeof s.leaderboardRows === 'number' &&
    typeof s.merged === 'string'
  ) {
    return {
      headers: s.headers,
      picked: s.picked,
      reason: s.reason,
      errors: s.errors,
      voteButtons: s.voteButtons,
      voted: s.voted,
      leaderboardRows: s.leaderboardRows,
      merged: s.merged,
    };
  }
  return undefined;
}

/** The message if it is one the webview may send, else undefined. */
export function parseFromArenaWebview(raw: unknown): FromArenaWebview | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'stop':
      return { type: m.type };
    case 'vote': {
      const choice = parseChoice(m.choice);
      return choice === undefined ? undefined : { type: 'vote', choice };
    }
    case 'copy':
    case 'insert':
      return isIndex(m.column) || m.column === 'merged' ? { type: m.type, column: m.column } : undefined;
    case 'copyCode':
      return typeof m.text === 'string' ? { type: 'copyCode', text: m.text } : undefined;
    case 'leaderboard':
      if (m.intent === null || m.intent === undefined || m.intent === '') {
        return { type: 'leaderboard', intent: null };
      }
      return (INTENTS as readonly unknown[]).includes(m.intent) ? { type: 'leaderboard', intent: m.intent as string } : undefined;
    case 'rendered': {
      const summary = parseSummary(m.summary);
      return summary === undefined ? undefined : { type: 'rendered', summary };
    }
    default:
      return undefined;
  }
}

/** `1032 (968-1101)` style pieces of a leaderboard row, rounded for reading. */
export function leaderboardCells(e: LeaderboardEntry): {
  rating: string;
  interval: string;
  battles: string;
  record: string;
} {
  return {
    rating: Math.round(e.rating).toString(),
    interval: `${Math.round(e.ciLow)} – ${Math.round(e.ciHigh)}`,
    battles: e.battles.toString(),
    record: `${e.wins} / ${e.losses} / ${e.ties}`,
  };
}
