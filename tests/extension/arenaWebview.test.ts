/**
 * The arena webview's script (media/src/arena.ts), bundled as for the real webview and run in
 * jsdom against the real HTML shell: columns streaming, an error column, the pick highlighted
 * with its reason, blind mode revealed by the vote, the vote messages, copy and insert, the
 * leaderboard table and its intent filter.
 */
import * as assert from 'node:assert/strict';
import type { ArenaStartedParams } from '../../extension/src/common/protocol';
import { arenaHtml } from '../../extension/src/ui/arenaHtml';
import type { FromArenaWebview, RenderedArena, ToArenaWebview } from '../../extension/src/ui/arenaMessages';
import type { ArenaAction } from '../../extension/src/ui/arenaState';
import { STARTED, result } from './arenaFixtures';
import { sleep, webviewLoader, type WebviewPage } from './webviewHarness';

const load = webviewLoader<FromArenaWebview, ToArenaWebview>('arena', arenaHtml);

interface Harness extends WebviewPage<FromArenaWebview, ToArenaWebview> {
  act(...actions: ArenaAction[]): Promise<void>;
  columns(): HTMLElement[];
  click(selector: string, text?: string): void;
  lastRendered(): RenderedArena | undefined;
}

function open(): Harness {
  const page = load();
  const { doc, posted, send } = page;
  return {
    ...page,
    act: async (...actions) => {
      for (const action of actions) {
        send({ type: 'action', action });
      }
      await sleep(80);
    },
    columns: () => [...doc.querySelectorAll<HTMLElement>('#columns .column')],
    click: (selector, text) => {
      const node = [...doc.querySelectorAll<HTMLElement>(selector)].find((n) => text === undefined || n.textContent === text);
      assert.ok(node, `${selector} ${text ?? ''} exists`);
      node.click();
    },
    lastRendered: () => {
      for (let i = posted.length - 1; i >= 0; i--) {
        const m = posted[i];
        if (m.type === 'rendered') {
          return m.summary;
        }
      }
      return undefined;
    },
  };
}

const START: ArenaAction = { type: 'started', requestId: 'r1', prompt: 'Explain <b>closures</b>', group: 'Hybrid', blind: false };
const MEMBERS: ArenaAction = { type: 'members', started: STARTED, order: [0, 1, 2] };

describe('arena webview', function () {
  this.timeout(20_000);
  let h: Harness;

  beforeEach(() => {
    h = open();
  });

  afterEach(() => {
    h.dom.window.close();
    assert.deepEqual(h.errors, []);
  });

  it('the shell has a strict CSP and no inline script', () => {
    const csp = h.doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-n0nce'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    for (const s of h.doc.querySelectorAll('script')) {
      assert.equal(s.getAttribute('nonce'), 'n0nce');
      assert.equal(s.textContent, '');
    }
    assert.deepEqual(h.posted[0], { type: 'ready' });
    assert.equal(h.doc.getElementById('empty')?.hidden, false);
  });

  it('shows a column per contestant and streams Markdown into each', async () => {
    await h.act(START, MEMBERS);
    assert.equal(h.doc.getElementById('empty')?.hidden, true);
    assert.equal(h.doc.getElementById('prompt')?.textContent, 'Explain <b>closures</b>', 'the prompt is text');
    assert.match(h.doc.getElementById('summary')?.textContent ?? '', /Hybrid · code explanation · 3 models · at most \$0\.0123/);
    assert.match(h.doc.getElementById('dropped')?.textContent ?? '', /llama3\.2:3b: Ollama is not running/);
    assert.deepEqual(h.columns().map((c) => c.querySelector('.column-title')?.textContent), ['gpt-4o-mini', 'gpt-4o', 'claude-haiku-4-5']);
    assert.equal(h.doc.getElementById('columns')?.className, 'columns cols-3');
    assert.equal(h.doc.getElementById('stop')?.hidden, false);

    await h.act(
      { type: 'delta', requestId: 'r1', model: 'gpt-4o', delta: 'A **closure** ' },
      { type: 'delta', requestId: 'r1', model: 'gpt-4o', delta: 'captures.\n\n```py\nx = 1\n```\n' },
      { type: 'delta', requestId: 'r1', model: 'gpt-4o-mini', delta: '<script>alert(1)</script>' },
    );
    const [mini, big, claude] = h.columns();
    assert.equal(big.querySelector('.markdown strong')?.textContent, 'closure');
    assert.equal(big.querySelector('.code-block code')?.textContent, 'x = 1\n');
    assert.equal(big.dataset.status, 'streaming');
    assert.equal(mini.querySelector('script'), null, 'model output never becomes markup');
    assert.match(mini.querySelector('.markdown')?.textContent ?? '', /<script>/);
    assert.equal(claude.querySelector('.column-state')?.textContent, 'waiting for the first token');
    h.click('#stop');
    assert.deepEqual(h.posted[h.posted.length - 1], { type: 'stop' });
  });

  it('a failed contestant shows its error, the others their badges; the pick is highlighted with its reason', async () => {
    await h.act(START, MEMBERS, { type: 'finished', result: result() });
    const [mini, failed, claude] = h.columns();
    assert.equal(failed.dataset.status, 'error');
    assert.equal(failed.querySelector('.error')?.textContent, 'openai answered 500 for gpt-4o: Retry later.');
    assert.equal((failed.querySelector('.error') as HTMLElement).hidden, false);
    assert.equal((mini.querySelector('.error') as HTMLElement).hidden, true);
    const badges = [...mini.querySelectorAll('.badge')].map((b) => b.textContent);
    assert.deepEqual(badges, ['TTFT120 ms', 'Total900 ms', 'Tokens30 → 200', 'Cost$0.00042', 'Score0.80']);
    assert.ok(claude.classList.contains('picked'));
    assert.ok(!mini.classList.contains('picked'));
    assert.equal(claude.querySelector('.column-state')?.textContent, '★ Pick');
    assert.equal(h.doc.querySelector('#pick .pick-title')?.textContent, 'Pick: claude-haiku-4-5');
    assert.equal(h.doc.querySelector('#pick .pick-reason')?.textContent, 'claude-haiku-4-5 agrees most with gpt-4o-mini');
    assert.equal(h.doc.getElementById('stop')?.hidden, true);
    const rendered = h.lastRendered();
    assert.ok(rendered);
    assert.equal(rendered.picked, 2);
    assert.equal(rendered.errors, 1);
    assert.deepEqual(rendered.voteButtons, ['This one is best', 'This one is best', 'All are bad'], 'no vote for the failed answer');
  });

  it('N contestants: pick one or all bad; copy and insert name the column', async () => {
    await h.act(START, MEMBERS, { type: 'finished', result: result() });
    const third = h.columns()[2];
    (third.querySelector('button.best') as HTMLButtonElement).click();
    assert.deepEqual(h.posted[h.posted.length - 1], { type: 'vote', choice: { kind: 'better', column: 2 } });
    h.click('button.vote', 'All are bad');
    assert.deepEqual(h.posted[h.posted.length - 1], { type: 'vote', choice: { kind: 'all_bad' } });
    (third.querySelector('.column-foot button.secondary') as HTMLButtonElement).click();
    assert.deepEqual(h.posted[h.posted.length - 1], { type: 'copy', column: 2 });
    h.click('.column[data-index="0"] .column-foot button', 'Insert at cursor');
    assert.deepEqual(h.posted[h.posted.length - 1], { type: 'insert', column: 0 });
    // the failed column has nothing to copy
    assert.equal((h.columns()[1].querySelector('.column-foot button.secondary') as HTMLButtonElement).disabled, true);
  });

  it('blind mode shows Model A/B until the vote, then reveals the names', async () => {
    const two: ArenaStartedParams = { ...STARTED, members: STARTED.members.slice(0, 2), dropped: [] };
    const done = result({
      members: two.members,
      dropped: [],
      contestants: result().contestants.slice(0, 2).map((c, i) => ({ ...c, status: 'ok', error: null, text: `Answer number ${i + 1}` })),
      pick: { model: 'gpt-4o', reason: 'gpt-4o agrees most with gpt-4o-mini', scores: { 'gpt-4o-mini': 0.5, 'gpt-4o': 0.7 } },
    });
    await h.act({ ...START, blind: true }, { type: 'members', started: two, order: [1, 0] }, { type: 'finished', result: done });
    const titles = (): (string | null)[] => h.columns().map((c) => c.querySelector('.column-title')?.textContent ?? null);
    assert.deepEqual(titles(), ['Model A', 'Model B']);
    assert.equal(h.doc.querySelector('#pick .pick-title')?.textContent, 'Pick: Model A');
    assert.equal(h.doc.querySelector('#pick .pick-reason')?.textContent, 'Model A agrees most with Model B');
    assert.doesNotMatch(h.doc.body.textContent, /gpt-4o/, 'no model name anywhere on the page');
    assert.deepEqual(
      [...h.doc.querySelectorAll('button.vote')].map((b) => b.textContent),
      ['◀ Model A is better', 'Tie', 'Both are bad', 'Model B is better ▶'],
    );
    h.click('button.vote', 'Model B is better ▶');
    assert.deepEqual(h.posted[h.posted.length - 1], { type: 'vote', choice: { kind: 'better', column: 1 } });

    await h.act(
      { type: 'voting', battleId: 'b1', vote: { vote: 'left', winner: 'gpt-4o-mini' } },
      { type: 'voted', battleId: 'b1', vote: { vote: 'left', winner: 'gpt-4o-mini' } },
    );
    assert.deepEqual(titles(), ['gpt-4o', 'gpt-4o-mini']);
    assert.equal(h.doc.querySelector('#pick .pick-reason')?.textContent, 'gpt-4o agrees most with gpt-4o-mini');
    assert.equal(h.doc.querySelector('button.vote[aria-pressed="true"]')?.textContent, 'gpt-4o-mini is better ▶');
    assert.match(h.doc.getElementById('vote-status')?.textContent ?? '', /Vote recorded/);
    assert.equal(h.lastRendered()?.voted, 'gpt-4o-mini is better ▶');
  });

  it('draws the leaderboard and asks for another intent', async () => {
    h.send({ type: 'leaderboard', leaderboard: { intent: null, entries: [], loading: false, error: null } });
    await h.act();
    assert.match(h.doc.getElementById('leaderboard-status')?.textContent ?? '', /No votes yet/);
    assert.equal(h.doc.getElementById('leaderboard-table')?.hidden, true);
    h.send({
      type: 'leaderboard',
      leaderboard: {
        intent: 'debugging',
        loading: false,
        error: null,
        entries: [
          { model: 'gpt-4o', rating: 1050.2, ciLow: 990, ciHigh: 1110, rank: 1, battles: 2, wins: 2, losses: 0, ties: 0 },
          { model: 'gpt-4o-mini', rating: 949.8, ciLow: 890, ciHigh: 1010, rank: 2, battles: 2, wins: 0, losses: 2, ties: 0 },
        ],
      },
    });
    await h.act();
    const rows = [...h.doc.querySelectorAll('#leaderboard-rows tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    assert.deepEqual(rows, [
      ['1', 'gpt-4o', '1050', '990 – 1110', '2', '2 / 0 / 0'],
      ['2', 'gpt-4o-mini', '950', '890 – 1010', '2', '0 / 2 / 0'],
    ]);
    assert.equal((h.doc.getElementById('intent') as HTMLSelectElement).value, 'debugging');
    assert.match(h.doc.getElementById('leaderboard-status')?.textContent ?? '', /for debugging/);
    assert.equal(h.lastRendered()?.leaderboardRows, 2);
    const select = h.doc.getElementById('intent') as HTMLSelectElement;
    select.value = '';
    select.dispatchEvent(new h.dom.window.Event('change'));
    assert.deepEqual(h.posted[h.posted.length - 1], { type: 'leaderboard', intent: null });
  });

  it('a battle refused by the budget shows why', async () => {
    await h.act(START, { type: 'failed', requestId: 'r1', error: { message: 'This battle could cost up to $0.02.', kind: 'budget_exceeded' } });
    const error = h.doc.getElementById('battle-error');
    assert.ok(error);
    assert.equal(error.hidden, false);
    assert.equal(error.textContent, 'This battle could cost up to $0.02.');
    assert.equal(h.doc.getElementById('votes')?.hidden, true);
  });
});
