/**
 * The judge's merged answer in the arena: the reducer (planned at the start, streamed from
 * `arenaMerge`, finished from the result, skipped with its reason, stopped with the battle), and
 * the webview's "Merged answer" section (live text, badges, sources named like their columns,
 * the judge hidden in blind mode until the vote, copy and insert).
 */
import * as assert from 'node:assert/strict';
import type { ArenaMerged, ArenaStartedParams } from '../../extension/src/common/protocol';
import { arenaHtml } from '../../extension/src/ui/arenaHtml';
import { mergeTitle } from '../../extension/src/ui/arenaMerge';
import { parseFromArenaWebview, type FromArenaWebview, type ToArenaWebview } from '../../extension/src/ui/arenaMessages';
import { reduceBattle, type ArenaAction, type ArenaBattle } from '../../extension/src/ui/arenaState';
import { STARTED, contestant, result } from './arenaFixtures';
import { sleep, webviewLoader } from './webviewHarness';

const JUDGED: ArenaStartedParams = { ...STARTED, judge: { model: 'gpt-5.1', provider: 'openai' }, mergeSkipped: null };
const SOURCES = ['claude-haiku-4-5', 'gpt-4o-mini'];
const START: ArenaAction = { type: 'started', requestId: 'r1', prompt: 'Explain closures', group: 'Hybrid', blind: false };
const BLIND: ArenaAction = { type: 'started', requestId: 'r1', prompt: 'Explain closures', group: 'Hybrid', blind: true };

function merged(over: Partial<ArenaMerged> = {}): ArenaMerged {
  return { ...contestant('gpt-5.1', 'openai', { text: 'A **closure** keeps its scope.', costMicroUsd: 900, costUsd: 0.0009 }), sources: SOURCES, ...over };
}

const piece = (delta: string, model = 'gpt-5.1', requestId = 'r1'): ArenaAction => ({ type: 'merge', requestId, model, sources: SOURCES, delta });

function then(b: ArenaBattle | null, ...actions: ArenaAction[]): ArenaBattle {
  for (const a of actions) {
    b = reduceBattle(b, a);
  }
  assert.ok(b);
  return b;
}

const run = (...actions: ArenaAction[]): ArenaBattle => then(null, ...actions);

describe('arena merge reducer', () => {
  it('plans the merge at the start, streams it, and takes the result', () => {
    let b = run(START, { type: 'members', started: JUDGED, order: [0, 1, 2] });
    assert.deepEqual([b.merge?.judge, b.merge?.status, b.merge?.text], ['gpt-5.1', 'planned', '']);
    b = run(START, { type: 'members', started: JUDGED, order: [0, 1, 2] }, piece(''));
    assert.equal(b.merge?.status, 'waiting');
    assert.deepEqual(b.merge.sources, SOURCES);
    b = then(b, piece('A **closure** '), piece('keeps its scope.'));
    assert.deepEqual([b.merge?.status, b.merge?.text], ['streaming', 'A **closure** keeps its scope.']);
    assert.equal(reduceBattle(b, piece('x', 'gpt-5.1', 'other')), b, "another battle's piece changes nothing");
    assert.equal(reduceBattle(b, piece('x', 'someone-else')), b, "another judge's piece changes nothing");
    b = then(b, { type: 'finished', result: result({ merged: merged(), mergeSkipped: null, totalCostUsd: 0.00174 }) });
    assert.equal(b.merge?.status, 'ok');
    assert.equal(b.merge.result?.costMicroUsd, 900);
    assert.equal(b.totalCostUsd, 0.00174);
    assert.equal(reduceBattle(b, piece(' late')), b, 'a late piece after the result changes nothing');
  });

  it('says why there is no merge: at the start (budget) or in the result (one answer)', () => {
    const why = 'the merge by gpt-5.1 could cost up to $0.0147, but the daily budget has $0.0040 left';
    let b = run(START, { type: 'members', started: { ...STARTED, judge: null, mergeSkipped: why }, order: [0, 1, 2] });
    assert.deepEqual([b.merge?.status, b.merge?.skipped, b.merge?.judge], ['skipped', why, '']);
    b = run(START, { type: 'members', started: JUDGED, order: [0, 1, 2] }, {
      type: 'finished',
      result: result({ merged: null, mergeSkipped: 'only one contestant answered: nothing to merge' }),
    });
    assert.deepEqual([b.merge?.status, b.merge?.judge], ['skipped', 'gpt-5.1']);
    assert.equal(b.merge?.skipped, 'only one contestant answered: nothing to merge');
    // no judge configured: no section, also with an older server that sends neither field
    b = run(START, { type: 'members', started: STARTED, order: [0, 1, 2] }, { type: 'finished', result: result() });
    assert.equal(b.merge, null);
  });

  it('a stopped judge keeps what it streamed; a failed battle stops an open merge', () => {
    const streaming = run(START, { type: 'members', started: JUDGED, order: [0, 1, 2] }, piece(''), piece('Partial'));
    let b = then(streaming, { type: 'finished', result: result({ merged: merged({ status: 'cancelled', text: '' }) }) });
    assert.deepEqual([b.merge?.status, b.merge?.text], ['cancelled', 'Partial']);
    b = then(streaming, { type: 'failed', requestId: 'r1', error: { message: 'Stopped.', kind: 'cancelled' } });
    assert.deepEqual([b.merge?.status, b.merge?.text], ['cancelled', 'Partial']);
    const failed = merged({ status: 'error', text: '', error: { message: 'openai answered 500 for gpt-5.1', kind: 'provider_unavailable' } });
    b = then(streaming, { type: 'finished', result: result({ merged: failed }) });
    assert.equal(b.merge?.error?.kind, 'provider_unavailable');
    assert.equal(b.columns.filter((c) => c.status === 'ok').length, 2, "the judge's failure leaves the columns alone");
  });

  it('names the judge unless the battle is blind', () => {
    const b = run(START, { type: 'members', started: JUDGED, order: [0, 1, 2] });
    assert.ok(b.merge);
    assert.equal(mergeTitle(b.merge, true), 'Merged answer (by gpt-5.1)');
    assert.equal(mergeTitle(b.merge, false), 'Merged answer (by the judge)');
  });

  it('the webview may copy or insert the merged answer, nothing else', () => {
    assert.deepEqual(parseFromArenaWebview({ type: 'copy', column: 'merged' }), { type: 'copy', column: 'merged' });
    assert.deepEqual(parseFromArenaWebview({ type: 'insert', column: 'merged' }), { type: 'insert', column: 'merged' });
    assert.equal(parseFromArenaWebview({ type: 'copy', column: 'everything' }), undefined);
  });
});

describe('arena webview: the merged answer', function () {
  this.timeout(20_000);
  const load = webviewLoader<FromArenaWebview, ToArenaWebview>('arena', arenaHtml);

  async function page(...actions: ArenaAction[]) {
    const p = load();
    for (const action of actions) {
      p.send({ type: 'action', action });
    }
    await sleep(80);
    const section = p.doc.getElementById('merged');
    assert.ok(section);
    const text = (selector: string): string => section.querySelector<HTMLElement>(selector)?.textContent ?? '';
    return { ...p, section, text };
  }

  it('streams under the columns, then shows its badges and sources; copy and insert name it', async () => {
    const members: ArenaAction = { type: 'members', started: JUDGED, order: [0, 1, 2] };
    const p = await page(START, members, piece(''), piece('A **closure** '));
    assert.equal(p.section.hidden, false);
    assert.equal(p.text('.column-title'), 'Merged answer (by gpt-5.1)');
    assert.equal(p.text('.merged-sources'), 'from claude-haiku-4-5, gpt-4o-mini');
    assert.equal(p.text('.markdown strong'), 'closure');
    assert.equal(p.section.querySelector('.merged-answer')?.getAttribute('data-status'), 'streaming');
    assert.equal(p.doc.querySelectorAll('#columns .column').length, 3, 'the merged answer is not a column');
    p.send({ type: 'action', action: { type: 'finished', result: result({ merged: merged() }) } });
    await sleep(80);
    const badges = [...p.section.querySelectorAll('.badge')].map((b) => b.textContent);
    assert.deepEqual(badges, ['TTFT120 ms', 'Total900 ms', 'Tokens30 → 200', 'Cost$0.0009']);
    assert.equal(p.text('.column-state'), 'done');
    (p.section.querySelector('.column-foot button') as HTMLButtonElement).click();
    assert.deepEqual(p.posted[p.posted.length - 1], { type: 'copy', column: 'merged' });
    [...p.section.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Insert at cursor')?.click();
    assert.deepEqual(p.posted[p.posted.length - 1], { type: 'insert', column: 'merged' });
    const rendered = [...p.posted].reverse().find((m) => m.type === 'rendered');
    assert.equal(rendered?.type === 'rendered' ? rendered.summary.merged : '', 'Merged answer (by gpt-5.1)');
    p.dom.window.close();
    assert.deepEqual(p.errors, []);
  });

  it('blind: the judge and the sources keep their cover until the vote', async () => {
    const members: ArenaAction = { type: 'members', started: JUDGED, order: [2, 0, 1] };
    const p = await page(BLIND, members, { type: 'finished', result: result({ merged: merged() }) });
    assert.equal(p.text('.column-title'), 'Merged answer (by the judge)');
    assert.equal(p.text('.merged-sources'), 'from Model A, Model B');
    assert.doesNotMatch(p.section.textContent, /gpt-5\.1|claude-haiku|gpt-4o-mini/);
    p.send({ type: 'action', action: { type: 'voted', battleId: 'b1', vote: { vote: 'tie', winner: null } } });
    await sleep(80);
    assert.equal(p.text('.column-title'), 'Merged answer (by gpt-5.1)');
    assert.equal(p.text('.merged-sources'), 'from claude-haiku-4-5, gpt-4o-mini');
    p.dom.window.close();
  });

  it('a skipped merge is one line with the reason; no judge, no section', async () => {
    const why = 'the merge by gpt-5.1 could cost up to $0.0147, but the daily budget has $0.0040 left';
    const members: ArenaAction = { type: 'members', started: { ...STARTED, judge: null, mergeSkipped: why }, order: [0, 1, 2] };
    const p = await page(START, members);
    assert.equal(p.section.hidden, false);
    assert.equal((p.section.querySelector('.merged-answer') as HTMLElement).hidden, true);
    assert.equal(p.text('.merged-skipped'), `No merged answer: ${why}`);
    p.dom.window.close();
    const none = await page(START, { type: 'members', started: STARTED, order: [0, 1, 2] });
    assert.equal(none.section.hidden, true);
    none.dom.window.close();
  });
});
