/**
 * The chat webview's session bar, model picker, context list, cached badge and fork action
 * (media/src/chatSessions.ts, chatContext.ts), in jsdom against the real HTML shell.
 */
import * as assert from 'node:assert/strict';
import type { AskResult } from '../../extension/src/common/protocol';
import { chatHtml } from '../../extension/src/ui/chatHtml';
import type { FromWebview, ToWebview } from '../../extension/src/ui/chatMessages';
import { AUTO_MODEL, emptySession, type SessionView } from '../../extension/src/ui/chatSession';
import type { ChatAction } from '../../extension/src/ui/transcript';
import { sleep, webviewLoader, type WebviewPage } from './webviewHarness';
import { cached, item, summary } from './sessionFixtures';

const load = webviewLoader<FromWebview, ToWebview>('chat', chatHtml, /Not implemented: .*scrollTo/);

const session = (over: Partial<SessionView> = {}): SessionView => ({
  ...emptySession(),
  conversationId: 'c1',
  title: 'Reverse a list',
  conversations: [summary(), summary({ id: 'c2', title: 'Title with <b>markup</b>', forkedFrom: 'c1' })],
  models: [AUTO_MODEL, { id: 'gpt-4o-mini', label: 'gpt-4o-mini (openai)' }, { id: 'gpt-4.1-mini', label: 'gpt-4.1-mini (openai)' }],
  ...over,
});

const result: AskResult = {
  requestId: 'r1',
  model: 'gpt-4o-mini',
  provider: 'openai',
  text: 'Answer.',
  inputTokens: 21,
  outputTokens: 5,
  costUsd: 0.000012,
  costMicroUsd: 12,
  usageEstimated: false,
  ttftMs: 32,
  totalMs: 115,
  reason: 'cheapest',
};

describe('chat webview sessions and context', function () {
  this.timeout(20_000);
  let h: WebviewPage<FromWebview, ToWebview>;
  const act = (...actions: ChatAction[]) => actions.forEach((action) => h.send({ type: 'action', action }));
  const q = (sel: string): HTMLElement => h.doc.querySelector(sel) as HTMLElement;

  beforeEach(() => {
    h = load();
  });

  afterEach(() => {
    h.dom.window.close();
    assert.deepEqual(h.errors, []);
  });

  it('shows the open conversation and lists the others as text', async () => {
    h.send({ type: 'reset', entries: [], session: session() });
    await sleep(80);
    assert.equal(q('#conversation-title').textContent, 'Reverse a list');
    assert.equal(q('#conversations').hidden, true);
    (q('#conversations-toggle') as HTMLButtonElement).click();
    assert.equal(q('#conversations').hidden, false);
    assert.deepEqual(h.posted.at(-1), { type: 'listConversations' });
    const rows = [...h.doc.querySelectorAll('.conversation')];
    assert.equal(rows.length, 2);
    assert.ok(rows[0].classList.contains('current'));
    assert.match(rows[0].querySelector('.conversation-meta')?.textContent ?? '', /gpt-4o-mini · \$0\.0021 · 4 messages$/);
    assert.equal(rows[1].querySelector('.conversation-name')?.textContent, 'Title with <b>markup</b>');
    assert.equal(rows[1].querySelector('b'), null, 'titles are text, never markup');
    assert.match(rows[1].querySelector('.conversation-meta')?.textContent ?? '', /· fork$/);
  });

  it('opens, renames and deletes through the extension; New chat empties the title', () => {
    h.send({ type: 'reset', entries: [], session: session() });
    (q('#conversations-toggle') as HTMLButtonElement).click();
    const second = h.doc.querySelectorAll('.conversation')[1];
    (second.querySelector('.conversation-open') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'openConversation', id: 'c2' });
    assert.equal(q('#conversations').hidden, true, 'the list closes');
    const buttons = [...second.querySelectorAll<HTMLButtonElement>('.conversation-action')];
    buttons.find((b) => b.textContent === 'Rename')?.click();
    assert.deepEqual(h.posted.at(-1), { type: 'renameConversation', id: 'c2' });
    buttons.find((b) => b.textContent === 'Delete')?.click();
    assert.deepEqual(h.posted.at(-1), { type: 'deleteConversation', id: 'c2' });
    (q('#new-chat') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'newChat' });
    h.send({ type: 'session', session: session({ conversationId: null, title: null }) });
    assert.equal(q('#conversation-title').textContent, 'New chat');
  });

  it('says when there are no conversations, or why the list is missing', () => {
    h.send({ type: 'reset', entries: [], session: { ...emptySession() } });
    assert.match(q('#conversations-note').textContent, /No conversations yet/);
    h.send({ type: 'session', session: { ...emptySession(), notice: 'The conversation list is not available.' } });
    assert.equal(q('#conversations-note').textContent, 'The conversation list is not available.');
  });

  it('picks the model for the next ask', () => {
    h.send({ type: 'reset', entries: [], session: session({ model: 'gpt-4.1-mini' }) });
    const picker = (q('#model') as HTMLSelectElement);
    assert.deepEqual([...picker.options].map((o) => o.textContent), ['Auto (router decides)', 'gpt-4o-mini (openai)', 'gpt-4.1-mini (openai)']);
    assert.equal(picker.value, 'gpt-4.1-mini');
    picker.value = 'gpt-4o-mini';
    picker.dispatchEvent(new h.dom.window.Event('change'));
    assert.deepEqual(h.posted.at(-1), { type: 'setModel', model: 'gpt-4o-mini' });
    (q('#prompt') as HTMLTextAreaElement).value = 'Continue';
    (q('#send') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'ask', prompt: 'Continue', model: 'gpt-4o-mini', noCache: false });
    picker.value = '';
    picker.dispatchEvent(new h.dom.window.Event('change'));
    assert.deepEqual(h.posted.at(-1), { type: 'setModel', model: null });
  });

  it('keeps a picked model that is not in the list (its key was removed)', () => {
    h.send({ type: 'reset', entries: [], session: session({ model: 'claude-x' }) });
    assert.equal((q('#model') as HTMLSelectElement).value, 'claude-x');
  });

  it('shows the context under the routing line, expandable, with file links', async () => {
    act(
      { type: 'started', requestId: 'r1', prompt: 'Why?' },
      {
        type: 'routed',
        routed: {
          requestId: 'r1', model: 'gpt-4o-mini', provider: 'openai', reason: 'cheapest', inputTokens: 21, estimatedCostUsd: 0.00001, maxCostUsd: 0.0001,
          conversationId: 'c1', contextMode: 'lexical',
          context: [item(), item({ id: 2, kind: 'note', label: '<img src=x>', file: null, startLine: null, endLine: null, reasons: [], tokens: 20, preview: '' })],
        },
      },
    );
    await sleep(80);
    const details = (q('.entry details.context') as HTMLDetailsElement);
    assert.equal(details.hidden, false);
    assert.equal(details.open, false);
    assert.match(details.querySelector('summary')?.textContent ?? '', /^Context: 2 items \(200 tokens, lexical\) · ranked by keywords while the embedding model loads$/);
    const items = details.querySelectorAll('.context-item');
    assert.equal(items.length, 2);
    assert.match(items[0].textContent, /function parseConfig/);
    assert.match(items[0].textContent, /score 0\.81 · 180 tokens/);
    assert.match(items[0].querySelector('.context-reasons')?.textContent ?? '', /similar meaning 0\.74 · same file/);
    assert.equal(items[1].querySelector('img'), null);
    assert.equal(items[1].querySelector('.context-label')?.textContent, '<img src=x>');
    const link = items[0].querySelector('.context-file') as HTMLButtonElement;
    assert.equal(link.textContent, 'src/config/parse.ts:11-25');
    link.click();
    assert.deepEqual(h.posted.at(-1), { type: 'openFile', file: '/work/project/src/config/parse.ts', startLine: 10, endLine: 24 });
    details.open = true;
    act({ type: 'delta', requestId: 'r1', delta: 'streaming…' });
    await sleep(80);
    assert.equal((q('.entry details.context') as HTMLDetailsElement).open, true, 'a delta keeps the list open');
  });

  it('hides the context line when context is off', async () => {
    act(
      { type: 'started', requestId: 'r1', prompt: 'p' },
      { type: 'finished', result: { ...result, context: [], contextMode: 'off' } },
    );
    await sleep(80);
    assert.equal(q('.entry .context').hidden, true);
  });

  it('badges a cached answer and asks afresh without the cache', async () => {
    act(
      { type: 'started', requestId: 'r1', prompt: 'How to reverse a list?' },
      { type: 'finished', result: { ...result, costUsd: 0, costMicroUsd: 0, cached, conversationId: 'c1', context: [], contextMode: 'embedding' } },
    );
    h.send({ type: 'session', session: session({ model: 'gpt-4.1-mini' }) });
    await sleep(80);
    const box = q('.entry .cached');
    assert.equal(box.hidden, false);
    assert.equal(box.querySelector('.cached-badge')?.textContent, 'Cached · 93% similar');
    assert.match(box.textContent, /First answered by gpt-4o-mini on 22 Nov 2026, .* · \$0 — saved ~\$0\.0012/);
    assert.match(box.querySelector('.cached-prompt')?.textContent ?? '', /Matched: “How do I reverse a list in Python\?”/);
    assert.ok(q('.entry').classList.contains('is-cached'));
    (box.querySelector('.ask-afresh') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'ask', prompt: 'How to reverse a list?', model: 'gpt-4.1-mini', noCache: true });
  });

  it('offers Fork from here on a finished answer of a conversation only', async () => {
    act(
      { type: 'started', requestId: 'r1', prompt: 'p' },
      { type: 'started', requestId: 'r2', prompt: 'q' },
      { type: 'finished', result: { ...result, conversationId: 'c1' } },
    );
    await sleep(80);
    const [done, running] = [...h.doc.querySelectorAll('.entry')];
    assert.equal((done.querySelector('.answer-actions') as HTMLElement).hidden, false);
    assert.equal((running.querySelector('.answer-actions') as HTMLElement).hidden, true);
    (done.querySelector('.fork') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'fork', requestId: 'r1' });
  });

  it('shows restored answers with their model, cost and date', async () => {
    act({
      type: 'loaded',
      entries: [{
        requestId: 'c1#1', prompt: 'Old question', status: 'done', model: 'gpt-4.1-mini', provider: null, reason: null,
        estimatedCostUsd: null, maxCostUsd: null, text: 'Old answer', conversationId: 'c1', seq: 2,
        restored: { costUsd: 0.0003, ts: '2026-11-22T09:00:01Z', intent: 'explain', cached: false },
      }],
    });
    await sleep(80);
    assert.equal(q('.entry .route').textContent, 'gpt-4.1-mini');
    assert.match(q('.entry .footer').textContent, /^gpt-4.1-mini · \$0\.0003 · 22 Nov 2026, /);
    assert.equal(q('.entry .answer-actions').hidden, false);
  });
});
