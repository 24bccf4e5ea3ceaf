/**
 * The chat webview's script (media/src/chat.ts), bundled as for the real webview and run in
 * jsdom against the real HTML shell: rendering, throttled streaming, copy, stop, ask again.
 */
import * as assert from 'node:assert/strict';
import type { AskResult } from '../../extension/src/common/protocol';
import { chatHtml } from '../../extension/src/ui/chatHtml';
import type { FromWebview, ToWebview } from '../../extension/src/ui/chatMessages';
import { emptySession } from '../../extension/src/ui/chatSession';
import type { ChatAction, ChatEntry } from '../../extension/src/ui/transcript';
import { sleep, webviewLoader, type WebviewPage } from './webviewHarness';

// jsdom has no scrollTo
const load = webviewLoader<FromWebview, ToWebview>('chat', chatHtml, /Not implemented: .*scrollTo/);

interface Harness extends WebviewPage<FromWebview, ToWebview> {
  act(...actions: ChatAction[]): void;
  /** Wait past the render throttle. */
  settle(): Promise<void>;
}

function open(): Harness {
  const page = load();
  return {
    ...page,
    act: (...actions) => {
      for (const action of actions) {
        page.send({ type: 'action', action });
      }
    },
    settle: () => sleep(80),
  };
}

const result: AskResult = {
  requestId: 'r1',
  model: 'fake-model',
  provider: 'fake',
  text: 'Hello **world**.\n\n```js\nconsole.log(1 < 2)\n```\n',
  inputTokens: 21,
  outputTokens: 57,
  costUsd: 0.000135,
  costMicroUsd: 135,
  usageEstimated: false,
  ttftMs: 32,
  totalMs: 115,
  reason: 'the cheapest usable model',
};

describe('chat webview', function () {
  this.timeout(20_000);
  let h: Harness;

  beforeEach(() => {
    h = open();
  });

  afterEach(() => {
    h.dom.window.close();
    assert.deepEqual(h.errors, []);
  });

  it('asks for the transcript once loaded', () => {
    assert.deepEqual(h.posted, [{ type: 'ready' }]);
    assert.equal(h.doc.getElementById('empty')?.hidden, false);
  });

  it('shows the route before any token, streams, then the footer', async () => {
    h.act(
      { type: 'started', requestId: 'r1', prompt: 'Say <b>hello</b>' },
      {
        type: 'routed',
        routed: { requestId: 'r1', model: 'fake-model', provider: 'fake', reason: 'the cheapest usable model', inputTokens: 21, estimatedCostUsd: 0.000809, maxCostUsd: 0.002057 },
      },
    );
    await h.settle();
    const entry = h.doc.querySelector('.entry');
    assert.ok(entry);
    assert.equal(h.doc.getElementById('empty')?.hidden, true);
    assert.equal(entry.querySelector('.prompt')?.textContent, 'Say <b>hello</b>', 'prompt shown as text');
    assert.equal(entry.querySelector('.prompt b'), null);
    assert.equal(entry.querySelector('.route')?.textContent, 'fake-model (fake) · estimated $0.000809, at most $0.002057');
    assert.equal(entry.querySelector('.reason')?.textContent, 'the cheapest usable model');
    assert.equal((entry.querySelector('.stop-one') as HTMLElement).hidden, false);
    assert.equal((h.doc.getElementById('stop') as HTMLButtonElement).disabled, false);

    for (const delta of ['Hello ', '**wor', 'ld**.']) {
      h.act({ type: 'delta', requestId: 'r1', delta });
    }
    await h.settle();
    assert.equal(entry.querySelector('.markdown strong')?.textContent, 'world');
    assert.equal(entry.getAttribute('data-status'), 'streaming');

    h.act({ type: 'finished', result });
    await h.settle();
    assert.equal(entry.getAttribute('data-status'), 'done');
    assert.equal(
      entry.querySelector('.footer')?.textContent,
      'fake-model (fake) · 21 in / 57 out tokens · $0.000135 · first token 32 ms · total 115 ms',
    );
    assert.equal((entry.querySelector('.stop-one') as HTMLElement).hidden, true);
    assert.equal((h.doc.getElementById('stop') as HTMLButtonElement).disabled, true);
    assert.equal(entry.querySelector('code.language-js')?.textContent, 'console.log(1 < 2)\n');
  });

  it('shows the routing explanation under the model before the first token, and hides what is absent', async () => {
    h.act(
      { type: 'started', requestId: 'r1', prompt: 'Fix this' },
      {
        type: 'routed',
        routed: {
          requestId: 'r1',
          model: 'gpt-4o-mini',
          provider: 'openai',
          reason: 'cheapest usable model',
          inputTokens: 40,
          estimatedCostUsd: 0.00002,
          maxCostUsd: 0.0006,
          intent: 'debugging',
          intentConfidence: 0.92,
          complexity: 0.413,
          runnerUp: 'claude-3-5-haiku',
          savingsUsd: 0.0021,
          explanation: 'A short debugging task: gpt-4o-mini is good enough and 20x cheaper than gpt-4o.',
        },
      },
    );
    await h.settle();
    const entry = h.doc.querySelector('.entry');
    assert.ok(entry);
    assert.equal(entry.getAttribute('data-status'), 'routing', 'no token yet');
    const routing = entry.querySelector('.routing') as HTMLElement;
    assert.equal(routing.hidden, false);
    assert.equal(
      routing.textContent,
      'debugging 92% · complexity 0.41 · runner-up claude-3-5-haiku · saves $0.0021 vs the strongest',
    );
    assert.equal(
      entry.querySelector('.reason')?.textContent,
      'A short debugging task: gpt-4o-mini is good enough and 20x cheaper than gpt-4o.',
    );
    // placed between the model line and the answer
    assert.equal(routing.previousElementSibling?.className, 'route-line');

    h.act(
      { type: 'started', requestId: 'r2', prompt: 'Hello' },
      {
        type: 'routed',
        routed: { requestId: 'r2', model: 'm', provider: 'p', reason: 'only model', inputTokens: 1, estimatedCostUsd: 0, maxCostUsd: 0, intent: null, complexity: 0.1 },
      },
    );
    await h.settle();
    const second = h.doc.querySelectorAll('.entry')[1];
    assert.equal(second.querySelector('.routing')?.textContent, 'complexity 0.10');
    assert.equal(second.querySelector('.reason')?.textContent, 'only model');

    h.act(
      { type: 'started', requestId: 'r3', prompt: 'Old server' },
      {
        type: 'routed',
        routed: { requestId: 'r3', model: 'm', provider: 'p', reason: 'only model', inputTokens: 1, estimatedCostUsd: 0, maxCostUsd: 0 },
      },
    );
    await h.settle();
    const third = h.doc.querySelectorAll('.entry')[2];
    assert.equal((third.querySelector('.routing') as HTMLElement).hidden, true);
    assert.equal(third.querySelector('.reason')?.textContent, 'only model');
  });

  it('throttles rendering while streaming', async () => {
    h.act({ type: 'started', requestId: 'r1', prompt: 'p' });
    await h.settle();
    const markdown = h.doc.querySelector('.entry .markdown') as HTMLElement;
    let renders = 0;
    new h.dom.window.MutationObserver(() => {
      renders++;
    }).observe(markdown, { childList: true });
    for (let i = 0; i < 200; i++) {
      h.act({ type: 'delta', requestId: 'r1', delta: `word${i} ` });
    }
    await h.settle();
    assert.ok(markdown.textContent.includes('word199'));
    assert.ok(renders <= 2, `rendered ${renders} times for 200 deltas`);
  });

  it('copies a code block through the extension', async () => {
    h.send({ type: 'reset', entries: [doneEntry()], session: emptySession() });
    await h.settle();
    const button = h.doc.querySelector('.copy-code') as HTMLButtonElement;
    button.click();
    assert.deepEqual(h.posted.at(-1), { type: 'copy', text: 'console.log(1 < 2)\n' });
    assert.equal(button.textContent, 'Copied');
  });

  it('never injects HTML from the answer', async () => {
    h.act(
      { type: 'started', requestId: 'r1', prompt: 'p' },
      { type: 'delta', requestId: 'r1', delta: '<img src=x onerror="alert(1)"><script>alert(2)</script>[x](javascript:alert(3))' },
    );
    await h.settle();
    const markdown = h.doc.querySelector('.markdown') as HTMLElement;
    assert.equal(markdown.querySelector('img, script'), null);
    assert.equal(markdown.querySelector('a[href^="javascript"]'), null);
    assert.match(markdown.textContent, /<img src=x/);
  });

  it('shows errors in the answer\'s place, with Set API Key when a key is missing', async () => {
    h.act(
      { type: 'started', requestId: 'r1', prompt: 'p' },
      { type: 'failed', requestId: 'r1', error: { message: 'No API key for OpenAI.', code: -32001, kind: 'no_api_key', provider: 'openai' } },
      { type: 'started', requestId: 'r2', prompt: 'q' },
      { type: 'failed', requestId: 'r2', error: { message: 'Rate limited.', code: -32010, kind: 'rate_limited', provider: 'openai' } },
    );
    await h.settle();
    const [first, second] = [...h.doc.querySelectorAll('.entry')];
    assert.equal(first.querySelector('.error-message')?.textContent, 'No API key for OpenAI.');
    (first.querySelector('.set-key') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'setApiKey', provider: 'openai' });
    assert.equal(second.querySelector('.error-message')?.textContent, 'Rate limited.');
    assert.equal(second.querySelector('.set-key'), null);
  });

  it('stops one answer or all of them', async () => {
    h.act({ type: 'started', requestId: 'r1', prompt: 'p' });
    await h.settle();
    (h.doc.querySelector('.stop-one') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'stop', requestId: 'r1' });
    (h.doc.getElementById('stop') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'stop', requestId: '*' });
    h.act({ type: 'delta', requestId: 'r1', delta: 'partial' }, { type: 'cancelled', requestId: 'r1' });
    await h.settle();
    assert.equal(h.doc.querySelector('.status')?.textContent, 'Stopped.');
    assert.equal(h.doc.querySelector('.markdown')?.textContent.trim(), 'partial');
  });

  it('asks again from the composer with Enter, not Shift+Enter', () => {
    const prompt = h.doc.getElementById('prompt') as HTMLTextAreaElement;
    const press = (shiftKey: boolean) =>
      prompt.dispatchEvent(new h.dom.window.KeyboardEvent('keydown', { key: 'Enter', shiftKey, bubbles: true, cancelable: true }));
    prompt.value = '  ';
    press(false);
    assert.equal(h.posted.length, 1, 'blank prompts are not sent');
    prompt.value = 'Next question';
    press(true);
    assert.equal(h.posted.length, 1);
    press(false);
    assert.deepEqual(h.posted.at(-1), { type: 'ask', prompt: 'Next question', model: null, noCache: false });
    assert.equal(prompt.value, '');
    prompt.value = 'By button';
    (h.doc.getElementById('send') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'ask', prompt: 'By button', model: null, noCache: false });
  });

  it('rebuilds from a reset and clears finished answers on request', async () => {
    h.send({ type: 'reset', entries: [doneEntry('a'), doneEntry('b')], session: emptySession() });
    await h.settle();
    assert.equal(h.doc.querySelectorAll('.entry').length, 2);
    (h.doc.getElementById('clear') as HTMLButtonElement).click();
    assert.deepEqual(h.posted.at(-1), { type: 'clear' });
    h.act({ type: 'cleared' });
    await h.settle();
    assert.equal(h.doc.querySelectorAll('.entry').length, 0);
    assert.equal(h.doc.getElementById('empty')?.hidden, false);
  });
});

function doneEntry(requestId = 'r1'): ChatEntry {
  return {
    requestId,
    prompt: 'p',
    status: 'done',
    model: 'fake-model',
    provider: 'fake',
    reason: 'cheap',
    estimatedCostUsd: 0.0008,
    maxCostUsd: 0.002,
    text: result.text,
    result: { ...result, requestId },
  };
}
