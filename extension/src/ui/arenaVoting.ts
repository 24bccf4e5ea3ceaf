/**
 * Votes on an arena battle: when the user may vote, the wire vote for what they chose in the
 * webview, and which button a recorded vote marks.
 *
 * Pure module (no `vscode` import), bundled into the extension and the webview.
 */
import type { ArenaVoteKind, ArenaVoteParams } from '../common/protocol';
import type { ArenaBattle, ArenaColumn, ArenaVote } from './arenaState';

/** What the user chose in the webview; `column` is a display position. */
export type VoteChoice = { kind: 'better'; column: number } | { kind: 'tie' } | { kind: 'all_bad' };

/** Votes are taken once the battle has an id and has ended with at least one answer. */
export function canVote(b: ArenaBattle): boolean {
  return b.battleId !== null && b.phase === 'done' && b.columns.length >= 2 && b.votePending === null;
}

/** The wire vote for what the user chose, or undefined when it does not fit the battle. */
export function voteFor(b: ArenaBattle, choice: VoteChoice): { params: ArenaVoteParams; vote: ArenaVote } | undefined {
  if (b.battleId === null) {
    return undefined;
  }
  if (choice.kind !== 'better') {
    return { params: { battleId: b.battleId, vote: choice.kind }, vote: { vote: choice.kind, winner: null } };
  }
  const column = b.columns[choice.column] as ArenaColumn | undefined;
  if (column === undefined) {
    return undefined;
  }
  if (b.columns.length === 2) {
    // left/right name the server's member order, whatever order the columns are shown in
    const vote: ArenaVoteKind = column.memberIndex === 0 ? 'left' : 'right';
    return { params: { battleId: b.battleId, vote }, vote: { vote, winner: column.model } };
  }
  return {
    params: { battleId: b.battleId, vote: 'pick', winner: column.model },
    vote: { vote: 'pick', winner: column.model },
  };
}

/** Which choice a recorded vote is, to mark its button. */
export function sameChoice(b: ArenaBattle, vote: ArenaVote | null, choice: VoteChoice): boolean {
  if (vote === null) {
    return false;
  }
  if (choice.kind !== 'better') {
    return vote.vote === choice.kind;
  }
  return vote.winner !== null && b.columns[choice.column]?.model === vote.winner;
}
