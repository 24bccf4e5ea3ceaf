/** The transcript reducer with conversations, context and cached answers (ui/transcript.ts). */
import * as assert from 'node:assert/strict';
import { reduce, type ChatEntry } from '../../extension/src/ui/transcript';
import { cached, item, result, routed } from './sessionFixtures';


function started(noCache = false): ChatEntry[] {
  return reduce([], { type: 'started', requestId: 'r1', prompt: 'Hi', ...(noCache ? { noCache } : {}) });
}

describe('transcript with sessions and context', () => {
  it('takes the context and conversation from the routed notification', () => {
    const e = reduce(started(), {
      type: 'routed',
      routed: { ...routed, conversationId: 'c1', context: [item(), item({ id: 2, tokens: 20 })], contextMode: 'lexical', cached: null },
    })[0];
    assert.equal(e.conversationId, 'c1');
    assert.equal(e.context?.mode, 'lexical');
    assert.equal(e.context.tokens, 200);
    assert.equal(e.cached, undefined);
  });

  it('an old server without the fields leaves them out', () => {
    const e = reduce(reduce(started(), { type: 'routed', routed }), { type: 'finished', result })[0];
    assert.equal(e.conversationId, undefined);
    assert.equal(e.context, undefined);
    assert.equal(e.cached, undefined);
    assert.equal('context' in e, false);
  });

  it('marks a cached answer from routed and keeps it through the result', () => {
    let entries = reduce(started(), { type: 'routed', routed: { ...routed, cached, conversationId: 'c1', context: [], contextMode: 'embedding' } });
    entries = reduce(entries, { type: 'delta', requestId: 'r1', delta: 'Stored answer.' });
    entries = reduce(entries, {
      type: 'finished',
      result: { ...result, text: 'Stored answer.', costUsd: 0, costMicroUsd: 0, cached, conversationId: 'c1', context: [], contextMode: 'embedding' },
    });
    const e = entries[0];
    assert.equal(e.status, 'done');
    assert.deepEqual(e.cached, cached);
    assert.equal(e.context?.items.length, 0);
    assert.equal(e.conversationId, 'c1');
  });

  it('remembers an ask afresh', () => {
    assert.equal(started(true)[0].noCache, true);
    assert.equal('noCache' in started()[0], false);
  });

  it('keeps the context object through deltas (the open list stays open)', () => {
    let entries = reduce(started(), { type: 'routed', routed: { ...routed, context: [item()], contextMode: 'embedding' } });
    const context = entries[0].context;
    entries = reduce(entries, { type: 'delta', requestId: 'r1', delta: 'a' });
    entries = reduce(entries, { type: 'delta', requestId: 'r1', delta: 'b' });
    assert.equal(entries[0].context, context);
  });

  it('replaces the transcript when another conversation opens', () => {
    const before = reduce(started(), { type: 'routed', routed });
    const loaded: ChatEntry = { ...before[0], requestId: 'c2#1', status: 'done', conversationId: 'c2' };
    const after = reduce(before, { type: 'loaded', entries: [loaded] });
    assert.deepEqual(after.map((e) => e.requestId), ['c2#1']);
    assert.deepEqual(reduce(after, { type: 'loaded', entries: [] }), []);
    // a late notification for the request of the conversation left behind changes nothing
    assert.equal(reduce(after, { type: 'delta', requestId: 'r1', delta: 'late' }), after);
  });
});
