/** What the chat webview may send (ui/chatMessages.ts): everything else is dropped. */
import * as assert from 'node:assert/strict';
import { parseFromWebview } from '../../extension/src/ui/chatMessages';

describe('chat webview messages', () => {
  it('accepts asks with a model and the no-cache flag', () => {
    assert.deepEqual(parseFromWebview({ type: 'ask', prompt: 'hi', model: 'gpt-4o', noCache: true }), {
      type: 'ask',
      prompt: 'hi',
      model: 'gpt-4o',
      noCache: true,
    });
    assert.deepEqual(parseFromWebview({ type: 'ask', prompt: 'hi', model: '', noCache: 'yes' }), {
      type: 'ask',
      prompt: 'hi',
      model: null,
      noCache: false,
    });
    assert.equal(parseFromWebview({ type: 'ask', prompt: 'hi', model: 42 }), undefined);
    assert.equal(parseFromWebview({ type: 'ask', prompt: 'hi', model: 'x'.repeat(201) }), undefined);
  });

  it('accepts the session messages with their ids', () => {
    assert.deepEqual(parseFromWebview({ type: 'newChat', extra: 1 }), { type: 'newChat' });
    assert.deepEqual(parseFromWebview({ type: 'listConversations' }), { type: 'listConversations' });
    for (const type of ['openConversation', 'renameConversation', 'deleteConversation']) {
      assert.deepEqual(parseFromWebview({ type, id: 'c1' }), { type, id: 'c1' });
      assert.equal(parseFromWebview({ type, id: '' }), undefined);
      assert.equal(parseFromWebview({ type, id: ['c1'] }), undefined);
    }
    assert.deepEqual(parseFromWebview({ type: 'fork', requestId: 'r1' }), { type: 'fork', requestId: 'r1' });
    assert.equal(parseFromWebview({ type: 'fork' }), undefined);
    assert.deepEqual(parseFromWebview({ type: 'setModel', model: null }), { type: 'setModel', model: null });
    assert.deepEqual(parseFromWebview({ type: 'setModel', model: 'gpt-4o' }), { type: 'setModel', model: 'gpt-4o' });
    assert.equal(parseFromWebview({ type: 'setModel', model: {} }), undefined);
  });

  it('accepts a file range to open, with whole line numbers only', () => {
    assert.deepEqual(parseFromWebview({ type: 'openFile', file: '/w/a.ts', startLine: 3, endLine: 9 }), {
      type: 'openFile',
      file: '/w/a.ts',
      startLine: 3,
      endLine: 9,
    });
    assert.deepEqual(parseFromWebview({ type: 'openFile', file: '/w/a.ts' }), {
      type: 'openFile',
      file: '/w/a.ts',
      startLine: null,
      endLine: null,
    });
    for (const bad of [
      { type: 'openFile', file: '' },
      { type: 'openFile', file: 3 },
      { type: 'openFile', file: '/w/a.ts', startLine: 1.5 },
      { type: 'openFile', file: '/w/a.ts', endLine: -2 },
      { type: 'openFile', file: '/w/a.ts', startLine: '3' },
    ]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });
});
