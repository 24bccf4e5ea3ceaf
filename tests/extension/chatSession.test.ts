/** The chat's session and context words (ui/chatSession.ts) and the stored-conversation entries. */
import * as assert from 'node:assert/strict';
import type { ModelInfo } from '../../extension/src/common/protocol';
import {
  AUTO_MODEL,
  cachedBadge,
  cachedDetail,
  cachedInfo,
  contextModeNote,
  contextSummary,
  contextView,
  conversationLine,
  exchanges,
  forkSeqFor,
  itemLocation,
  modelChoices,
  relativeTime,
  restoredFooter,
} from '../../extension/src/ui/chatSession';
import { entriesFromConversation } from '../../extension/src/ui/transcript';
import { cached, detail, item, summary } from './sessionFixtures';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('chat session words', () => {
  it('summarises the context with its size and how it was ranked', () => {
    const view = contextView([item(), item({ id: 8, tokens: 820 })], 'embedding');
    assert.ok(view);
    assert.equal(view.tokens, 1000);
    assert.equal(contextSummary(view), 'Context: 2 items (1,000 tokens, embedding)');
    assert.equal(contextSummary({ mode: 'lexical', items: [item()], tokens: 180 }), 'Context: 1 item (180 tokens, lexical)');
    assert.equal(contextSummary({ mode: 'embedding', items: [], tokens: 0 }), 'Context: none found');
    assert.equal(contextSummary({ mode: 'off', items: [], tokens: 0 }), '');
    assert.equal(contextSummary({ mode: null, items: [item()], tokens: 180 }), 'Context: 1 item (180 tokens)');
  });

  it('says quietly when the ranking is by keywords', () => {
    assert.match(contextModeNote('lexical') ?? '', /keywords while the embedding model loads/);
    assert.equal(contextModeNote('embedding'), null);
  });

  it('reads context items defensively', () => {
    assert.equal(contextView(undefined, undefined), undefined);
    const view = contextView([item(), null, { label: 3 }, { label: 'note', startLine: -1, reasons: ['x', 4], preview: 'p'.repeat(500) }], 'bogus');
    assert.ok(view);
    assert.equal(view.mode, null);
    assert.equal(view.items.length, 2);
    assert.deepEqual(view.items[1].reasons, ['x']);
    assert.equal(view.items[1].startLine, null);
    assert.equal(view.items[1].preview.length, 200);
  });

  it('shows a file and its lines short', () => {
    assert.equal(itemLocation(item()), 'src/config/parse.ts:11-25', 'lines counted from 1');
    assert.equal(itemLocation(item({ file: 'file:///w/a.py', startLine: 3, endLine: 3 })), 'w/a.py:4');
    assert.equal(itemLocation(item({ file: 'C:\\w\\p\\src\\b.ts', startLine: null })), 'p/src/b.ts');
    assert.equal(itemLocation(item({ file: null })), null);
  });

  it('describes a cached answer and what it saved', () => {
    assert.equal(cachedBadge(cached), 'Cached · 93% similar');
    assert.equal(cachedBadge({ ...cached, kind: 'exact', similarity: 1 }), 'Cached · exact');
    assert.match(cachedDetail(cached), /^First answered by gpt-4o-mini on 22 Nov 2026, \d\d:41 · \$0 — saved ~\$0\.0012$/);
    assert.deepEqual(cachedInfo({ kind: 'exact' }), { kind: 'exact', similarity: 1, askedAt: '', model: '', prompt: '', savedUsd: 0 });
    assert.equal(cachedInfo({ kind: 'fuzzy' }), undefined);
    assert.equal(cachedInfo(null), undefined);
    assert.equal(cachedInfo({ ...cached, similarity: 7 })?.similarity, 1);
  });

  it('says when, in words', () => {
    assert.equal(relativeTime('2026-11-22T11:59:30Z', NOW), 'just now');
    assert.equal(relativeTime('2026-11-22T11:15:00Z', NOW), '45 min ago');
    assert.equal(relativeTime('2026-11-22T09:00:00Z', NOW), '3 h ago');
    assert.equal(relativeTime('2026-11-21T10:00:00Z', NOW), 'yesterday');
    assert.equal(relativeTime('2026-11-18T10:00:00Z', NOW), '4 days ago');
    assert.match(relativeTime('2026-10-01T10:00:00Z', NOW), /^1 Oct 2026$/);
    assert.equal(relativeTime('nonsense', NOW), '');
  });

  it('lists a conversation with when, its last model, cost and size', () => {
    assert.equal(conversationLine(summary(), NOW), '3 h ago · gpt-4o-mini · $0.0021 · 4 messages');
    assert.equal(
      conversationLine(summary({ messages: 1, lastModel: null, forkedFrom: 'c0', costUsd: 0 }), NOW),
      '3 h ago · $0.00 · 1 message · fork',
    );
  });

  it('pairs the stored messages into exchanges', () => {
    const x = exchanges(detail);
    assert.deepEqual(
      x.map((e) => [e.prompt, e.userSeq, e.answer?.seq]),
      [['How do I reverse a list?', 1, 2], ['And in place?', 3, 4], ['Unanswered', 5, undefined]],
    );
  });

  it('finds the seq to fork at by content, else by position', () => {
    assert.equal(forkSeqFor(detail, 'How do I reverse a list?', 'Use `items[::-1]`.', 5), 2);
    assert.equal(forkSeqFor(detail, 'other', 'other', 1), 4);
    assert.equal(forkSeqFor(detail, 'other', 'other', 9), undefined);
    assert.equal(forkSeqFor(detail, 'other', 'other', -1), undefined);
  });

  it('offers Auto and the models that can answer now', () => {
    const m = (id: string, provider: string, keyAvailable: boolean, local = false) => ({ id, provider, keyAvailable, local }) as ModelInfo;
    const choices = modelChoices([m('gpt-4o', 'openai', true), m('claude', 'anthropic', false), m('llama3', 'ollama', false, true)]);
    assert.deepEqual(choices, [AUTO_MODEL, { id: 'gpt-4o', label: 'gpt-4o (openai)' }, { id: 'llama3', label: 'llama3 (ollama)' }]);
  });

  it('restores a stored conversation as transcript entries', () => {
    const entries = entriesFromConversation(detail);
    assert.equal(entries.length, 3);
    const [first, second, third] = entries;
    assert.equal(first.requestId, 'c1#1');
    assert.equal(first.status, 'done');
    assert.equal(first.model, 'gpt-4o-mini');
    assert.equal(first.seq, 2);
    assert.equal(first.conversationId, 'c1');
    assert.equal(first.context?.items.length, 1);
    assert.equal(first.context.mode, null);
    assert.equal(second.model, 'gpt-4.1-mini', 'each answer keeps the model that gave it');
    assert.equal(second.context, undefined);
    assert.equal(second.restored?.cached, true);
    assert.equal(third.status, 'cancelled');
    assert.equal(third.seq, undefined);
    assert.match(restoredFooter(first.model, first.restored ?? assert.fail('no restored info')), /^gpt-4o-mini · \$0\.0001 · 22 Nov 2026, /);
    assert.match(restoredFooter(second.model, second.restored), /^gpt-4.1-mini · from the cache · \$0 · /);
  });
});
