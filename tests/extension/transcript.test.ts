import * as assert from 'node:assert/strict';
import {
  MAX_ENTRIES,
  chatErrorFromResponse,
  isInFlight,
  parseFromWebview,
  reduce,
  routingInfo,
  routingSummary,
  wantsApiKey,
  type ChatAction,
  type ChatEntry,
} from '../../extension/src/ui/transcript';
import { result, routed } from './sessionFixtures';


function run(actions: ChatAction[], start: ChatEntry[] = []): ChatEntry[] {
  return actions.reduce(reduce, start);
}

describe('transcript reducer', () => {
  it('follows one exchange: started, routed, deltas, finished', () => {
    let entries = run([{ type: 'started', requestId: 'r1', prompt: 'Say hello' }]);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].status, 'routing');
    assert.equal(entries[0].model, null);
    assert.ok(isInFlight(entries[0]));

    entries = run([{ type: 'routed', routed }], entries);
    assert.equal(entries[0].model, 'gpt-4o-mini');
    assert.equal(entries[0].provider, 'openai');
    assert.equal(entries[0].reason, 'cheapest usable model');
    assert.equal(entries[0].estimatedCostUsd, 0.00004);
    assert.equal(entries[0].status, 'routing');

    entries = run(
      [
        { type: 'delta', requestId: 'r1', delta: 'Hello' },
        { type: 'delta', requestId: 'r1', delta: ', world' },
      ],
      entries,
    );
    assert.equal(entries[0].status, 'streaming');
    assert.equal(entries[0].text, 'Hello, world');

    entries = run([{ type: 'finished', result }], entries);
    assert.equal(entries[0].status, 'done');
    assert.equal(entries[0].text, 'Hello, world.', 'the result text is authoritative');
    assert.deepEqual(entries[0].result, result);
    assert.ok(!isInFlight(entries[0]));
  });

  it('keeps the routing explanation of the latest decision, none when the server sends none', () => {
    let entries = run([
      { type: 'started', requestId: 'r1', prompt: 'p' },
      { type: 'routed', routed: { ...routed, intent: 'debugging', intentConfidence: 0.9, savingsUsd: 0, explanation: ' ' } },
    ]);
    assert.deepEqual(entries[0].routing, {
      intent: 'debugging',
      intentConfidence: 0.9,
      complexity: null,
      runnerUp: null,
      savingsUsd: 0,
      explanation: null,
    });
    const info = entries[0].routing;
    assert.ok(info);
    assert.equal(routingSummary(info), 'debugging 90%', 'no saving is not shown');
    entries = run([{ type: 'routed', routed }], entries);
    assert.ok(!('routing' in entries[0]), 'a fallback decision without explanation drops the old one');
    assert.equal(routingInfo({ ...routed, complexity: Number.NaN }), undefined);
  });

  it('never mutates its input', () => {
    const before = run([{ type: 'started', requestId: 'r1', prompt: 'p' }]);
    const snapshot = structuredClone(before);
    run([{ type: 'routed', routed }, { type: 'delta', requestId: 'r1', delta: 'x' }, { type: 'finished', result }], before);
    assert.deepEqual(before, snapshot);
  });

  it('returns the same array for actions that change nothing', () => {
    const entries = run([{ type: 'started', requestId: 'r1', prompt: 'p' }]);
    assert.equal(reduce(entries, { type: 'delta', requestId: 'other', delta: 'x' }), entries);
    assert.equal(reduce(entries, { type: 'delta', requestId: 'r1', delta: '' }), entries);
    const done = reduce(entries, { type: 'finished', result });
    assert.equal(reduce(done, { type: 'delta', requestId: 'r1', delta: 'late' }), done);
    assert.equal(reduce(done, { type: 'cancelled', requestId: 'r1' }), done);
  });

  it('keeps deltas apart by request id', () => {
    const entries = run([
      { type: 'started', requestId: 'a', prompt: 'A' },
      { type: 'started', requestId: 'b', prompt: 'B' },
      { type: 'delta', requestId: 'a', delta: '1' },
      { type: 'delta', requestId: 'b', delta: '2' },
      { type: 'delta', requestId: 'a', delta: '3' },
    ]);
    assert.deepEqual(
      entries.map((e) => [e.requestId, e.text]),
      [
        ['a', '13'],
        ['b', '2'],
      ],
    );
  });

  it('records an error in the answer\'s place and ignores later deltas', () => {
    const error = { message: 'No API key for openai. Run Smart Router: Set API Key.', code: -32001, kind: 'no_api_key' as const, provider: 'openai' };
    const entries = run([
      { type: 'started', requestId: 'r1', prompt: 'p' },
      { type: 'failed', requestId: 'r1', error },
      { type: 'delta', requestId: 'r1', delta: 'late' },
    ]);
    assert.equal(entries[0].status, 'error');
    assert.deepEqual(entries[0].error, error);
    assert.equal(entries[0].text, '');
  });

  it('keeps the partial answer when stopped', () => {
    const entries = run([
      { type: 'started', requestId: 'r1', prompt: 'p' },
      { type: 'delta', requestId: 'r1', delta: 'partial' },
      { type: 'cancelled', requestId: 'r1' },
      { type: 'delta', requestId: 'r1', delta: ' more' },
    ]);
    assert.equal(entries[0].status, 'cancelled');
    assert.equal(entries[0].text, 'partial');
  });

  it('clear keeps only the exchanges still in flight', () => {
    const entries = run([
      { type: 'started', requestId: 'a', prompt: 'A' },
      { type: 'finished', result: { ...result, requestId: 'a' } },
      { type: 'started', requestId: 'b', prompt: 'B' },
      { type: 'cleared' },
    ]);
    assert.deepEqual(
      entries.map((e) => e.requestId),
      ['b'],
    );
  });

  it(`keeps at most ${MAX_ENTRIES} entries`, () => {
    const actions: ChatAction[] = [];
    for (let i = 0; i < MAX_ENTRIES + 5; i++) {
      actions.push({ type: 'started', requestId: `r${i}`, prompt: `p${i}` });
    }
    const entries = run(actions);
    assert.equal(entries.length, MAX_ENTRIES);
    assert.equal(entries[0].requestId, 'r5');
  });
});

describe('webview messages', () => {
  it('accepts the known messages', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'ask', prompt: 'hi' }), { type: 'ask', prompt: 'hi', model: null, noCache: false });
    assert.deepEqual(parseFromWebview({ type: 'stop', requestId: 'r1' }), { type: 'stop', requestId: 'r1' });
    assert.deepEqual(parseFromWebview({ type: 'copy', text: 'code' }), { type: 'copy', text: 'code' });
    assert.deepEqual(parseFromWebview({ type: 'setApiKey', provider: 'openai' }), { type: 'setApiKey', provider: 'openai' });
    assert.deepEqual(parseFromWebview({ type: 'setApiKey' }), { type: 'setApiKey', provider: null });
    assert.deepEqual(parseFromWebview({ type: 'clear', extra: 1 }), { type: 'clear' });
  });

  it('rejects malformed or unknown messages', () => {
    for (const bad of [null, 'ready', 42, {}, { type: 'ask' }, { type: 'ask', prompt: '  ' }, { type: 'copy', text: 1 }, { type: 'stop' }, { type: 'runCommand', command: 'x' }]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('errors from the server', () => {
  it('reads kind and provider from data', () => {
    const e = chatErrorFromResponse(-32001, 'No API key for openai.', { kind: 'no_api_key', provider: 'openai' });
    assert.deepEqual(e, { message: 'No API key for openai.', code: -32001, kind: 'no_api_key', provider: 'openai' });
    assert.ok(wantsApiKey(e));
    assert.ok(wantsApiKey(chatErrorFromResponse(-32010, 'Key rejected', { kind: 'auth' })));
  });

  it('tolerates missing or odd data', () => {
    assert.deepEqual(chatErrorFromResponse(-32603, 'boom', undefined), { message: 'boom', code: -32603, kind: null, provider: null });
    assert.deepEqual(chatErrorFromResponse(-32010, 'x', { kind: 'weird', provider: 3 }), { message: 'x', code: -32010, kind: null, provider: null });
    assert.equal(chatErrorFromResponse(null, '  ', null).message, 'The request failed.');
    assert.ok(!wantsApiKey(chatErrorFromResponse(-32010, 'slow down', { kind: 'rate_limited' })));
  });
});
