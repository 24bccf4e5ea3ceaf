/**
 * The arena's pure parts: the battle reducer (members, streaming, a failing contestant, the
 * result and its pick, stop, votes), blind mode's labels and masking, the wire vote for what the
 * user chose, the webview's message checks, and the command's group choices and budget offer.
 */
import * as assert from 'node:assert/strict';
import { groupChoices, parseArenaArgs, refusedEstimate, smallerBattle } from '../../extension/src/common/arenaChoices';
import type { ArenaStartedParams } from '../../extension/src/common/protocol';
import { leaderboardCells, parseFromArenaWebview } from '../../extension/src/ui/arenaMessages';
import {
  columnLabel,
  displayOrder,
  isRevealed,
  maskNames,
  pickedColumn,
  reduceBattle,
  voteFor,
  type ArenaAction,
  type ArenaBattle,
} from '../../extension/src/ui/arenaState';
import { STARTED, contestant, result } from './arenaFixtures';

function run(...actions: ArenaAction[]): ArenaBattle {
  let b: ArenaBattle | null = null;
  for (const a of actions) {
    b = reduceBattle(b, a);
  }
  assert.ok(b);
  return b;
}

const START: ArenaAction = { type: 'started', requestId: 'r1', prompt: 'Explain closures', group: 'Hybrid', blind: false };

describe('arena battle reducer', () => {
  it('makes a column per member, in the display order, before any token', () => {
    const b = run(START, { type: 'members', started: STARTED, order: [2, 0, 1] });
    assert.equal(b.phase, 'running');
    assert.equal(b.battleId, 'b1');
    assert.deepEqual(b.columns.map((c) => [c.model, c.label, c.memberIndex, c.status]), [
      ['claude-haiku-4-5', 'Model A', 2, 'waiting'],
      ['gpt-4o-mini', 'Model B', 0, 'waiting'],
      ['gpt-4o', 'Model C', 1, 'waiting'],
    ]);
    assert.deepEqual(b.dropped, STARTED.dropped);
  });

  it('streams each delta into its own column and ignores other battles', () => {
    const b0 = run(START, { type: 'members', started: STARTED, order: [0, 1, 2] });
    const b1 = run(
      START,
      { type: 'members', started: STARTED, order: [0, 1, 2] },
      { type: 'delta', requestId: 'r1', model: 'gpt-4o', delta: 'Hel' },
      { type: 'delta', requestId: 'r1', model: 'gpt-4o', delta: 'lo' },
      { type: 'delta', requestId: 'r1', model: 'gpt-4o-mini', delta: 'Hi' },
    );
    assert.deepEqual(b1.columns.map((c) => [c.text, c.status]), [['Hi', 'streaming'], ['Hello', 'streaming'], ['', 'waiting']]);
    assert.equal(reduceBattle(b0, { type: 'delta', requestId: 'other', model: 'gpt-4o', delta: 'x' }), b0);
    assert.equal(reduceBattle(b0, { type: 'delta', requestId: 'r1', model: 'unknown', delta: 'x' }), b0);
  });

  it('a failed contestant keeps its error; the others keep streaming; late deltas are dropped', () => {
    const failed = contestant('gpt-4o', 'openai', { status: 'error', text: '', error: { message: 'boom', kind: 'timeout' } });
    const b = run(
      START,
      { type: 'members', started: STARTED, order: [0, 1, 2] },
      { type: 'delta', requestId: 'r1', model: 'gpt-4o', delta: 'partial' },
      { type: 'contestant', requestId: 'r1', contestant: failed },
      { type: 'delta', requestId: 'r1', model: 'gpt-4o-mini', delta: 'still going' },
    );
    assert.equal(b.columns[1].status, 'error');
    assert.deepEqual(b.columns[1].error, { message: 'boom', kind: 'timeout' });
    assert.equal(b.columns[1].text, 'partial', 'what it streamed before failing stays');
    assert.equal(b.columns[0].status, 'streaming');
    assert.equal(reduceBattle(b, { type: 'delta', requestId: 'r1', model: 'gpt-4o', delta: 'late' }), b);
  });

  it('the result fills every column and the pick', () => {
    const b = run(START, { type: 'members', started: STARTED, order: [1, 2, 0] }, { type: 'finished', result: result() });
    assert.equal(b.phase, 'done');
    assert.equal(b.columns[0].model, 'gpt-4o', 'the display order is kept');
    assert.equal(b.columns[0].status, 'error');
    assert.equal(b.columns[1].result?.costMicroUsd, 420);
    assert.equal(pickedColumn(b), 1);
    assert.equal(b.totalCostUsd, 0.00084);
    assert.equal(b.wallMs, 1234);
  });

  it('a result without a started notification still makes the columns', () => {
    const b = run(START, { type: 'finished', result: result() });
    assert.deepEqual(b.columns.map((c) => c.model), ['gpt-4o-mini', 'gpt-4o', 'claude-haiku-4-5']);
    assert.equal(pickedColumn(b), 2);
  });

  it('stop, then a failure, marks the open columns stopped', () => {
    const b = run(
      START,
      { type: 'members', started: STARTED, order: [0, 1, 2] },
      { type: 'stopping', requestId: 'r1' },
    );
    assert.equal(b.phase, 'stopping');
    const failed = run(
      START,
      { type: 'members', started: STARTED, order: [0, 1, 2] },
      { type: 'failed', requestId: 'r1', error: { message: 'budget', kind: 'budget_exceeded' } },
    );
    assert.equal(failed.phase, 'failed');
    assert.deepEqual(failed.columns.map((c) => c.status), ['cancelled', 'cancelled', 'cancelled']);
    assert.equal(reduceBattle(failed, { type: 'failed', requestId: 'r1', error: { message: 'again', kind: null } }), failed);
  });

  it('votes: pending, recorded, or failed', () => {
    const done = run(START, { type: 'members', started: STARTED, order: [0, 1, 2] }, { type: 'finished', result: result() });
    const vote = { vote: 'pick' as const, winner: 'gpt-4o-mini' };
    const pending = run(START, { type: 'finished', result: result() }, { type: 'voting', battleId: 'b1', vote });
    assert.deepEqual(pending.votePending, vote);
    const voted = reduceBattle(pending, { type: 'voted', battleId: 'b1', vote });
    assert.ok(voted);
    assert.deepEqual(voted.vote, vote);
    assert.equal(voted.votePending, null);
    const failed = reduceBattle(pending, { type: 'voteFailed', battleId: 'b1', message: 'no' });
    assert.equal(failed?.voteError, 'no');
    assert.equal(reduceBattle(done, { type: 'voted', battleId: 'other', vote }), done);
  });
});

describe('arena blind mode and votes', () => {
  const blindStart: ArenaAction = { ...START, blind: true };

  it('hides names (also in the reason and errors) until the vote', () => {
    const b = run(blindStart, { type: 'members', started: STARTED, order: [0, 1, 2] }, { type: 'finished', result: result() });
    assert.equal(isRevealed(b), false);
    assert.equal(maskNames(b, b.pick?.reason ?? ''), 'Model C agrees most with Model A');
    assert.equal(maskNames(b, 'openai answered 500 for gpt-4o: Retry later.'), 'the provider answered 500 for Model B: Retry later.');
    const voted = reduceBattle(b, { type: 'voted', battleId: 'b1', vote: { vote: 'all_bad', winner: null } });
    assert.ok(voted && isRevealed(voted));
    assert.equal(maskNames(voted, 'gpt-4o'), 'gpt-4o');
  });

  it('left/right follow the server order whatever the display order', () => {
    const two: ArenaStartedParams = { ...STARTED, members: STARTED.members.slice(0, 2) };
    const twoResult = result({ members: two.members, contestants: result().contestants.slice(0, 2), pick: null });
    const swapped = run(blindStart, { type: 'members', started: two, order: [1, 0] }, { type: 'finished', result: twoResult });
    assert.deepEqual(voteFor(swapped, { kind: 'better', column: 0 })?.params, { battleId: 'b1', vote: 'right' });
    assert.deepEqual(voteFor(swapped, { kind: 'better', column: 1 })?.params, { battleId: 'b1', vote: 'left' });
    assert.deepEqual(voteFor(swapped, { kind: 'tie' })?.params, { battleId: 'b1', vote: 'tie' });
    const three = run(START, { type: 'members', started: STARTED, order: [2, 0, 1] }, { type: 'finished', result: result() });
    assert.deepEqual(voteFor(three, { kind: 'better', column: 0 })?.params, { battleId: 'b1', vote: 'pick', winner: 'claude-haiku-4-5' });
    assert.deepEqual(voteFor(three, { kind: 'all_bad' })?.params, { battleId: 'b1', vote: 'all_bad' });
    assert.equal(voteFor(three, { kind: 'better', column: 7 }), undefined);
  });

  it('labels and shuffles', () => {
    assert.equal(columnLabel(0), 'Model A');
    assert.equal(columnLabel(25), 'Model Z');
    assert.equal(columnLabel(26), 'Model 27');
    assert.deepEqual(displayOrder(4), [0, 1, 2, 3]);
    const shuffled = displayOrder(8, () => 0);
    assert.deepEqual([...shuffled].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.notDeepEqual(shuffled, [0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('arena webview messages', () => {
  it('accepts what the webview may send and nothing else', () => {
    assert.deepEqual(parseFromArenaWebview({ type: 'vote', choice: { kind: 'better', column: 1 } }), { type: 'vote', choice: { kind: 'better', column: 1 } });
    assert.deepEqual(parseFromArenaWebview({ type: 'vote', choice: { kind: 'all_bad' } }), { type: 'vote', choice: { kind: 'all_bad' } });
    assert.equal(parseFromArenaWebview({ type: 'vote', choice: { kind: 'better', column: -1 } }), undefined);
    assert.equal(parseFromArenaWebview({ type: 'vote', choice: { kind: 'bribe' } }), undefined);
    assert.deepEqual(parseFromArenaWebview({ type: 'insert', column: 0 }), { type: 'insert', column: 0 });
    assert.equal(parseFromArenaWebview({ type: 'copy', column: 'x' }), undefined);
    assert.deepEqual(parseFromArenaWebview({ type: 'leaderboard', intent: 'debugging' }), { type: 'leaderboard', intent: 'debugging' });
    assert.deepEqual(parseFromArenaWebview({ type: 'leaderboard', intent: '' }), { type: 'leaderboard', intent: null });
    assert.equal(parseFromArenaWebview({ type: 'leaderboard', intent: 'hacking' }), undefined);
    assert.equal(parseFromArenaWebview({ type: 'eval', code: '1' }), undefined);
    assert.equal(parseFromArenaWebview(null), undefined);
  });

  it('formats a leaderboard row', () => {
    assert.deepEqual(
      leaderboardCells({ model: 'm', rating: 1032.4, ciLow: 967.6, ciHigh: 1101.2, battles: 3, wins: 2, losses: 1, ties: 0 }),
      { rating: '1032', interval: '968 – 1101', battles: '3', record: '2 / 1 / 0' },
    );
  });
});

describe('arena command choices', () => {
  it('offers Hybrid, Frontier, Fast, then the user groups; a same-named group replaces a built-in', () => {
    const choices = groupChoices({ Coders: ['a', 'b'], frontier: ['x', 'y', 'z'], Solo: ['a'] });
    assert.deepEqual(choices.map((c) => [c.group, c.label]), [
      ['hybrid', 'Hybrid'],
      ['frontier', 'frontier'],
      ['fast', 'Fast'],
      ['Coders', 'Coders'],
    ]);
    assert.equal(choices[1].detail, 'x, y, z');
  });

  it('reads the command arguments', () => {
    assert.deepEqual(parseArenaArgs('  hi '), { prompt: 'hi' });
    assert.deepEqual(parseArenaArgs({ prompt: 'p', models: ['a', 'b'], blind: true }), { prompt: 'p', models: ['a', 'b'], blind: true });
    assert.deepEqual(parseArenaArgs({ prompt: 'p', models: ['a'] }), { prompt: 'p' });
    assert.equal(parseArenaArgs(7), undefined);
  });

  it('turns a budget refusal into an offer', () => {
    const data = { kind: 'budget_exceeded', estimateUsd: 0.0231, suggestion: { group: 'hybrid', models: ['a', 'b'], maxCostUsd: 0.0021 } };
    assert.deepEqual(smallerBattle(data), { button: 'Run 2 models (up to $0.0021)', group: 'hybrid', models: ['a', 'b'] });
    assert.equal(refusedEstimate(data), '$0.0231');
    assert.equal(smallerBattle({ ...data, suggestion: null }), undefined);
    assert.equal(refusedEstimate({}), undefined);
  });
});
