// (Named to sort after smartRouter.test.ts, whose first test expects a fresh ledger: the suite runs files in name order.)
// The arena inside the real VS Code extension host, against the fake provider: the command opens the
// panel, every contestant gets a column (one fails and shows its error), the pick is highlighted with
// its reason, and a vote is recorded and changes the leaderboard the panel shows.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, fake, waitUntil, withTimeout, type SmartRouterApi } from './helpers';
import type { ArenaResult, LeaderboardResult } from '../../../extension/src/api';

const MODELS = ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-5-mini'];
const PROMPT = 'Explain what a Python closure is';

suite('Arena', () => {
  let sr: SmartRouterApi;

  suiteSetup(async function () {
    this.timeout(120_000);
    sr = await api();
    await fake('DELETE', '/__fake__/scenarios');
    await fake('PUT', '/__fake__/scenarios/gpt-4o-mini', { reply: 'A closure is a function that remembers the variables of the scope it was made in.', ttft_ms: 50 });
    await fake('PUT', '/__fake__/scenarios/gpt-4.1-mini', { reply: 'A closure is a function object that remembers variables from its enclosing scope.', ttft_ms: 150 });
    await fake('PUT', '/__fake__/scenarios/gpt-5-mini', { fail: 'server_error' });
  });

  suiteTeardown(async () => {
    await fake('DELETE', '/__fake__/scenarios');
  });

  test('the arena command shows a column per model, the failure, and the pick with its reason', async function () {
    this.timeout(90_000);
    const result = await withTimeout(
      vscode.commands.executeCommand<ArenaResult | undefined>('smartRouter.arena', { prompt: PROMPT, models: MODELS, blind: false }),
      60_000,
      'smartRouter.arena',
    );
    assert.ok(result, 'the battle returned a result');
    assert.deepStrictEqual(result.members.map((m) => m.model), MODELS);
    const status = Object.fromEntries(result.contestants.map((c) => [c.model, c.status]));
    assert.deepStrictEqual(status, { 'gpt-4o-mini': 'ok', 'gpt-4.1-mini': 'ok', 'gpt-5-mini': 'error' });
    assert.ok(result.pick && result.pick.model !== 'gpt-5-mini', `pick ${JSON.stringify(result.pick)}`);
    // the judge of the user settings (smartRouter.arenaJudge, tests/vscode/lib.sh) merged the two answers
    assert.strictEqual(result.merged?.model, 'gpt-4.1');
    assert.strictEqual(result.merged.status, 'ok');
    assert.deepStrictEqual([...result.merged.sources].sort(), ['gpt-4.1-mini', 'gpt-4o-mini']);

    const snap = await waitUntil(() => {
      const s = sr.arena();
      return s.htmlReady && s.rendered && s.rendered.picked >= 0 ? s : undefined;
    }, 20_000, 'the arena panel to draw the pick');
    const rendered = snap.rendered!;
    assert.deepStrictEqual(rendered.headers, MODELS, 'names shown (not blind), in the server order');
    assert.strictEqual(rendered.headers[rendered.picked], result.pick.model, 'the picked column is highlighted');
    assert.strictEqual(rendered.reason, result.pick.reason);
    assert.strictEqual(rendered.errors, 1, 'the failing contestant shows its error');
    assert.strictEqual(rendered.merged, 'Merged answer (by gpt-4.1)');
    assert.deepStrictEqual(rendered.voteButtons, ['This one is best', 'This one is best', 'All are bad']);
    const battle = snap.battle!;
    assert.strictEqual(battle.phase, 'done');
    assert.strictEqual(battle.columns[2].error?.kind, 'provider_unavailable');
    assert.ok(battle.columns.slice(0, 2).every((c) => c.result && c.result.costMicroUsd > 0 && c.text.startsWith('A closure')));
  });

  test('a vote is recorded and changes the leaderboard', async function () {
    this.timeout(60_000);
    const client = sr.client()!;
    const before = await withTimeout(client.sendRequest<LeaderboardResult>('smartRouter/leaderboard', {}), 10_000, 'leaderboard');
    const wins = (entries: LeaderboardResult['entries'], model: string): number => entries.find((e) => e.model === model)?.wins ?? 0;
    const voted = await withTimeout(sr.arenaVote({ kind: 'better', column: 1 }), 15_000, 'the vote');
    assert.ok(voted && voted.recorded, 'the server recorded the vote');
    // a pick of one of N beats each of the other N - 1 (docs/arena.md)
    assert.strictEqual(wins(voted.leaderboard, 'gpt-4.1-mini'), wins(before.entries, 'gpt-4.1-mini') + MODELS.length - 1);
    const after = await client.sendRequest<LeaderboardResult>('smartRouter/leaderboard', {});
    assert.deepStrictEqual(after.entries, voted.leaderboard);
    const snap = await waitUntil(() => {
      const s = sr.arena();
      return s.rendered && s.rendered.voted === '✓ Your pick' && s.rendered.leaderboardRows === voted.leaderboard.length ? s : undefined;
    }, 15_000, 'the panel to mark the vote and draw the new leaderboard');
    assert.strictEqual(snap.battle?.vote?.winner, 'gpt-4.1-mini');
    assert.ok(snap.rendered!.leaderboardRows >= 2);
  });
});
