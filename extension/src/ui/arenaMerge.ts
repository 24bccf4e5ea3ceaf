/**
 * The merged answer of an arena battle, as the user sees it: the judge (`smartRouter.arenaJudge`)
 * writes one answer from the best ones once they are judged (docs/arena.md). Its section is
 * planned when the battle starts (or says why there will be no merge), streams from
 * `smartRouter/arenaMerge`, and ends with the result's `merged` or `mergeSkipped`.
 *
 * Pure module (no `vscode` import), bundled into the extension and the webview.
 */
import type { ArenaMerged, ArenaStartedParams, ContestantStatus } from '../common/protocol';

/**
 * `planned`: the judge waits for the contestants; `waiting`: it was called, no token yet;
 * `streaming`; then how it ended; `skipped`: no merge, `skipped` says why.
 */
export type MergeStatus = 'planned' | 'waiting' | 'streaming' | ContestantStatus | 'skipped';

export interface ArenaMergeView {
  /** The judge's model id; '' when the merge was skipped before a judge was chosen. */
  judge: string;
  provider: string;
  status: MergeStatus;
  /** The models whose answers are merged, best first. */
  sources: string[];
  /** The merged answer so far (Markdown). */
  text: string;
  error: { message: string; kind: string | null } | null;
  /** Timings, tokens and cost, once the judge finished. */
  result: ArenaMerged | null;
  /** Why there is no merge. */
  skipped: string | null;
}

export type MergeAction = { type: 'merge'; requestId: string; model: string; sources: string[]; delta: string };

const OPEN: ReadonlySet<MergeStatus> = new Set(['planned', 'waiting', 'streaming']);

export function isMergeOpen(m: ArenaMergeView | null): boolean {
  return m !== null && OPEN.has(m.status);
}

function view(judge: string, provider: string, over: Partial<ArenaMergeView> = {}): ArenaMergeView {
  return { judge, provider, status: 'planned', sources: [], text: '', error: null, result: null, skipped: null, ...over };
}

/** The section when the battle starts: the judge planned, the reason it will not merge, or none. */
export function plannedMerge(started: ArenaStartedParams): ArenaMergeView | null {
  if (started.judge) {
    return view(started.judge.model, started.judge.provider);
  }
  return started.mergeSkipped ? view('', '', { status: 'skipped', skipped: started.mergeSkipped }) : null;
}

/** A piece of the merged answer (an empty one: the judge was called). */
export function mergeDelta(m: ArenaMergeView | null, a: MergeAction): ArenaMergeView | null {
  const current = m ?? view(a.model, '');
  if (!OPEN.has(current.status) || (current.judge !== '' && current.judge !== a.model)) {
    return m;
  }
  if (a.delta === '') {
    return current.status === 'planned' || m === null ? { ...current, judge: a.model, status: 'waiting', sources: a.sources } : m;
  }
  return { ...current, judge: a.model, status: 'streaming', sources: a.sources, text: current.text + a.delta };
}

/** The section as the result says: the merged answer, why there was none, or nothing. */
export function finishedMerge(
  m: ArenaMergeView | null,
  merged: ArenaMerged | null | undefined,
  skipped: string | null | undefined,
): ArenaMergeView | null {
  if (merged) {
    return view(merged.model, merged.provider, {
      status: merged.status,
      sources: merged.sources,
      // a stopped or failed judge keeps what it streamed if the server sends nothing
      text: merged.text !== '' || merged.status === 'ok' ? merged.text : (m?.text ?? ''),
      error: merged.error === null ? null : { message: merged.error.message, kind: merged.error.kind },
      result: merged,
    });
  }
  if (skipped) {
    return { ...(m ?? view('', '')), status: 'skipped', skipped };
  }
  return null;
}

/** The battle ended without a result (failed, dropped): a merge still open is stopped. */
export function stoppedMerge(m: ArenaMergeView | null): ArenaMergeView | null {
  return m !== null && OPEN.has(m.status) ? { ...m, status: 'cancelled' } : m;
}

/**
 * The section's heading: `Merged answer (by gpt-5.1)`, or `(by the judge)` while the battle is
 * blind (`revealed` false), like the columns' names.
 */
export function mergeTitle(m: ArenaMergeView, revealed: boolean): string {
  if (m.judge === '') {
    return 'Merged answer';
  }
  return `Merged answer (by ${revealed ? m.judge : 'the judge'})`;
}

/** `from Model B, Model A`: the merged answers, named as their columns are (`name`). */
export function mergeSources(m: ArenaMergeView, name: (model: string) => string): string {
  return m.sources.length === 0 ? '' : `from ${m.sources.map(name).join(', ')}`;
}

/** `text` with the judge's name hidden while the battle is blind. */
export function maskJudge(m: ArenaMergeView, text: string, revealed: boolean): string {
  if (revealed || m.judge === '') {
    return text;
  }
  return text.split(m.judge).join('the judge');
}
