/**
 * The arena battle as the user sees it: one column per contestant, the pick, the vote, blind
 * mode, and the pure reducer that applies the server's notifications and results to it.
 *
 * The extension owns the battle (commands/arena.ts). Every change is applied there with
 * `reduceBattle` and the same action is posted to the webview, which runs the same reducer on
 * its copy (media/src/arena.ts); a re-created webview gets the whole battle back (`reset`).
 *
 * Pure module (no `vscode` import), bundled into both; unit-tested in plain Node.
 */
import type {
  ArenaDropped,
  ArenaPick,
  ArenaResult,
  ArenaStartedParams,
  ArenaVoteKind,
  ContestantResult,
  ContestantStatus,
} from '../common/protocol';
import { finishedMerge, mergeDelta, plannedMerge, stoppedMerge, type ArenaMergeView, type MergeAction } from './arenaMerge';

export { canVote, sameChoice, voteFor, type VoteChoice } from './arenaVoting';

/** `waiting` until the first token, `streaming` until the contestant finishes. */
export type ColumnStatus = 'waiting' | 'streaming' | ContestantStatus;

/**
 * `starting`: the request is out, members unknown; `running`: columns stream; `stopping`: the
 * user cancelled, the server settles; `done`: the result (with the pick) arrived; `failed`: the
 * battle itself failed (budget, no group, server down).
 */
export type BattlePhase = 'starting' | 'running' | 'stopping' | 'done' | 'failed';

export interface ArenaError {
  message: string;
  kind: string | null;
}

export interface ArenaColumn {
  model: string;
  provider: string;
  /** `Model A`, `Model B`, ...: what blind mode shows until the vote. */
  label: string;
  /** Position in the server's member order (`left`/`right` votes refer to it). */
  memberIndex: number;
  status: ColumnStatus;
  /** The answer so far (Markdown); the full answer once `result` is set. */
  text: string;
  error: ArenaError | null;
  /** Timings, tokens and cost, once the contestant finished. */
  result: ContestantResult | null;
}

export interface ArenaVote {
  vote: ArenaVoteKind;
  /** The model voted best (`pick`, `left`, `right`); null for `tie` and `all_bad`. */
  winner: string | null;
}

export interface ArenaBattle {
  requestId: string;
  prompt: string;
  /** The group asked for, as the user chose it (e.g. `Hybrid`, `Coders`, `3 models`). */
  group: string;
  blind: boolean;
  phase: BattlePhase;
  battleId: string | null;
  intent: string | null;
  /** In display order (shuffled in blind mode). */
  columns: ArenaColumn[];
  dropped: ArenaDropped[];
  estimatedMaxCostUsd: number | null;
  pick: ArenaPick | null;
  /** The judge's merged answer (arenaMerge.ts); null when no judge is set. */
  merge: ArenaMergeView | null;
  totalCostUsd: number | null;
  wallMs: number | null;
  error: ArenaError | null;
  /** The vote the server recorded. */
  vote: ArenaVote | null;
  /** A vote sent and not answered yet. */
  votePending: ArenaVote | null;
  voteError: string | null;
}

export type ArenaAction =
  | { type: 'started'; requestId: string; prompt: string; group: string; blind: boolean }
  /** `order[i]`: the member index shown in display position i. */
  | { type: 'members'; started: ArenaStartedParams; order: number[] }
  | { type: 'delta'; requestId: string; model: string; delta: string }
  | { type: 'contestant'; requestId: string; contestant: ContestantResult }
  | MergeAction
  | { type: 'finished'; result: ArenaResult }
  | { type: 'failed'; requestId: string; error: ArenaError }
  | { type: 'stopping'; requestId: string }
  | { type: 'voting'; battleId: string; vote: ArenaVote }
  | { type: 'voted'; battleId: string; vote: ArenaVote }
  | { type: 'voteFailed'; battleId: string; message: string };

/** The eleven intents of the taxonomy (the leaderboard's filter). */
export const INTENTS = [
  'code_generation',
  'code_explanation',
  'debugging',
  'refactoring',
  'test_generation',
  'documentation',
  'code_review',
  'architecture',
  'reasoning',
  'writing',
  'general',
] as const;

/** `Model A` ... `Model Z`, then `Model 27`, ... */
export function columnLabel(index: number): string {
  return index < 26 ? `Model ${String.fromCharCode(65 + index)}` : `Model ${index + 1}`;
}

/** A permutation of 0..n-1 from `random` (Fisher-Yates); the identity when `random` is absent. */
export function displayOrder(n: number, random?: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  if (random !== undefined) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  return order;
}

export function isRunning(b: ArenaBattle): boolean {
  return b.phase === 'starting' || b.phase === 'running' || b.phase === 'stopping';
}

/** Model names show unless the battle is blind and not voted on yet. */
export function isRevealed(b: ArenaBattle): boolean {
  return !b.blind || b.vote !== null;
}

/** The name a column's header shows: the model (and provider) or, blind, its label. */
export function columnTitle(b: ArenaBattle, c: ArenaColumn): string {
  return isRevealed(b) ? c.model : c.label;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Text about the contestants (the pick's reason, an error) with the model and provider names
 * replaced by the column labels while the battle is blind.
 */
export function maskNames(b: ArenaBattle, text: string): string {
  if (isRevealed(b) || text === '') {
    return text;
  }
  let out = text;
  // longest first: `gpt-4o-mini` before `gpt-4o`
  const models = [...b.columns].sort((x, y) => y.model.length - x.model.length);
  for (const c of models) {
    out = out.replace(new RegExp(escapeRegExp(c.model), 'gi'), c.label);
  }
  const providers = [...new Set(b.columns.map((c) => c.provider))].sort((x, y) => y.length - x.length);
  for (const p of providers) {
    if (p.length >= 3) {
      out = out.replace(new RegExp(`\\b${escapeRegExp(p)}\\b`, 'gi'), 'the provider');
    }
  }
  return out;
}

/** The display position of the picked column, or -1. */
export function pickedColumn(b: ArenaBattle): number {
  return b.pick === null ? -1 : b.columns.findIndex((c) => c.model === b.pick?.model);
}

function newBattle(a: Extract<ArenaAction, { type: 'started' }>): ArenaBattle {
  return {
    requestId: a.requestId,
    prompt: a.prompt,
    group: a.group,
    blind: a.blind,
    phase: 'starting',
    battleId: null,
    intent: null,
    columns: [],
    dropped: [],
    estimatedMaxCostUsd: null,
    pick: null,
    merge: null,
    totalCostUsd: null,
    wallMs: null,
    error: null,
    vote: null,
    votePending: null,
    voteError: null,
  };
}

function columnsFor(members: readonly { model: string; provider: string }[], order: readonly number[]): ArenaColumn[] {
  const valid = order.length === members.length && new Set(order).size === members.length;
  const positions = valid ? order : displayOrder(members.length);
  return positions.map((memberIndex, i) => ({
    model: members[memberIndex].model,
    provider: members[memberIndex].provider,
    label: columnLabel(i),
    memberIndex,
    status: 'waiting',
    text: '',
    error: null,
    result: null,
  }));
}

function finish(column: ArenaColumn, c: ContestantResult): ArenaColumn {
  return {
    ...column,
    provider: c.provider,
    status: c.status,
    // a failed contestant keeps what it streamed if the server sends nothing
    text: c.text !== '' || c.status === 'ok' ? c.text : column.text,
    error: c.error === null ? null : { message: c.error.message, kind: c.error.kind },
    result: c,
  };
}

function withColumn(b: ArenaBattle, model: string, change: (c: ArenaColumn) => ArenaColumn): ArenaBattle {
  const index = b.columns.findIndex((c) => c.model === model);
  if (index < 0) {
    return b;
  }
  const changed = change(b.columns[index]);
  if (changed === b.columns[index]) {
    return b;
  }
  const columns = b.columns.slice();
  columns[index] = changed;
  return { ...b, columns };
}

const OPEN: ReadonlySet<ColumnStatus> = new Set(['waiting', 'streaming']);

/**
 * Apply one action. Returns the same object when nothing changes (another battle's request id,
 * a late delta after the contestant finished); never mutates.
 */
export function reduceBattle(b: ArenaBattle | null, action: ArenaAction): ArenaBattle | null {
  if (action.type === 'started') {
    return newBattle(action);
  }
  if (b === null) {
    return b;
  }
  switch (action.type) {
    case 'members': {
      const s = action.started;
      if (s.requestId !== b.requestId || b.phase === 'done' || b.phase === 'failed') {
        return b;
      }
      return {
        ...b,
        phase: b.phase === 'starting' ? 'running' : b.phase,
        battleId: s.battleId,
        intent: s.intent ?? b.intent,
        columns: columnsFor(s.members, action.order),
        dropped: s.dropped,
        estimatedMaxCostUsd: s.estimatedMaxCostUsd,
        merge: plannedMerge(s),
      };
    }
    case 'delta':
      if (action.requestId !== b.requestId || action.delta === '') {
        return b;
      }
      return withColumn(b, action.model, (c) =>
        OPEN.has(c.status) ? { ...c, status: 'streaming', text: c.text + action.delta } : c,
      );
    case 'contestant':
      if (action.requestId !== b.requestId) {
        return b;
      }
      return withColumn(b, action.contestant.model, (c) => finish(c, action.contestant));
    case 'merge': {
      const merge = action.requestId === b.requestId ? mergeDelta(b.merge, action) : b.merge;
      return merge === b.merge ? b : { ...b, merge };
    }
    case 'finished': {
      const r = action.result;
      if (r.requestId !== b.requestId) {
        return b;
      }
      let columns = b.columns;
      if (columns.length !== r.members.length || !r.members.every((m) => columns.some((c) => c.model === m.model))) {
        columns = columnsFor(r.members, columns.length === r.members.length ? columns.map((c) => c.memberIndex) : []);
      }
      const byModel = new Map(r.contestants.map((c) => [c.model, c]));
      columns = columns.map((c) => {
        const done = byModel.get(c.model);
        if (done !== undefined) {
          return finish(c, done);
        }
        return OPEN.has(c.status) ? { ...c, status: 'cancelled' } : c;
      });
      return {
        ...b,
        phase: 'done',
        battleId: r.battleId,
        intent: r.intent,
        columns,
        dropped: r.dropped,
        estimatedMaxCostUsd: r.estimatedMaxCostUsd ?? b.estimatedMaxCostUsd,
        pick: r.pick,
        merge: finishedMerge(b.merge, r.merged, r.mergeSkipped),
        totalCostUsd: r.totalCostUsd,
        wallMs: r.wallMs,
      };
    }
    case 'failed':
      if (action.requestId !== b.requestId || !isRunning(b)) {
        return b;
      }
      return {
        ...b,
        phase: 'failed',
        error: action.error,
        columns: b.columns.map((c) => (OPEN.has(c.status) ? { ...c, status: 'cancelled' } : c)),
        merge: stoppedMerge(b.merge),
      };
    case 'stopping':
      return action.requestId === b.requestId && (b.phase === 'running' || b.phase === 'starting')
        ? { ...b, phase: 'stopping' }
        : b;
    case 'voting':
      return action.battleId === b.battleId ? { ...b, votePending: action.vote, voteError: null } : b;
    case 'voted':
      return action.battleId === b.battleId ? { ...b, vote: action.vote, votePending: null, voteError: null } : b;
    case 'voteFailed':
      return action.battleId === b.battleId ? { ...b, votePending: null, voteError: action.message } : b;
  }
}

/** One line under the prompt: the group, the intent, what the battle may cost and what it cost. */
export function battleSummary(b: ArenaBattle, formatUsd: (usd: number) => string, formatMs: (ms: number) => string): string {
  const parts = [b.group];
  if (b.intent !== null) {
    parts.push(b.intent.replace(/_/g, ' '));
  }
  if (b.columns.length > 0) {
    parts.push(`${b.columns.length} models`);
  }
  if (b.totalCostUsd !== null) {
    parts.push(`cost ${formatUsd(b.totalCostUsd)}`);
  } else if (b.estimatedMaxCostUsd !== null) {
    parts.push(`at most ${formatUsd(b.estimatedMaxCostUsd)}`);
  }
  if (b.wallMs !== null) {
    parts.push(`${formatMs(b.wallMs)} in all`);
  }
  return parts.join(' · ');
}
