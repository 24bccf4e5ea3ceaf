/** The words of Clear Context, Pin Selection as Note and Show Context Stats (common/contextChoices.ts). */
import * as assert from 'node:assert/strict';
import {
  clearQuestion,
  clearsConversations,
  formatBytes,
  noteTitle,
  removedSummary,
  scopeChoices,
  statsLines,
} from '../../extension/src/common/contextChoices';
import type { ContextStats } from '../../extension/src/common/protocol';

const stats: ContextStats = {
  entries: { document: 1200, selection: 34, note: 2, message: 40 },
  files: 57,
  conversations: 5,
  messages: 40,
  embedded: 1250,
  pending: 26,
  cacheEntries: 12,
  cacheHits: 30,
  savedUsd: 0.0123,
  bytes: 3.4 * 1024 * 1024,
  capBytes: 25 * 1024 * 1024,
  retentionDays: 90,
  mode: 'lexical',
  modeDetail: 'the embedding model is loading',
  oldest: '2026-10-01T00:00:00Z',
};

describe('context commands', () => {
  it('offers every scope with what it holds now', () => {
    const choices = scopeChoices(stats);
    assert.deepEqual(choices.map((c) => c.scope), ['all', 'project', 'conversations', 'cache', 'notes']);
    const by = Object.fromEntries(choices.map((c) => [c.scope, c.description]));
    assert.equal(by.all, '1,276 entries, 5 conversations, 12 cached answers · 3.4 MB');
    assert.equal(by.project, '1,234 snippets from 57 files');
    assert.equal(by.conversations, '5 conversations, 40 messages');
    assert.equal(by.cache, '12 answers, saved $0.0123 so far');
    assert.equal(by.notes, '2 notes');
  });

  it('offers the scopes without counts when the stats are not known', () => {
    const choices = scopeChoices(undefined);
    assert.equal(choices.length, 5);
    assert.ok(choices.every((c) => c.description === '' && c.detail !== ''));
  });

  it('asks before clearing, saying what goes', () => {
    const [all, , , cache] = scopeChoices(stats);
    assert.equal(clearQuestion(all).message, 'Clear all Smart Router context?');
    assert.equal(clearQuestion(cache).message, 'Clear cached answers?');
    assert.match(clearQuestion(cache).detail, /\(12 answers, saved \$0\.0123 so far\) This cannot be undone\.$/);
    assert.equal(clearQuestion(scopeChoices(undefined)[4]).detail, 'Notes pinned with Smart Router: Pin Selection as Note. This cannot be undone.');
  });

  it('reports what was removed', () => {
    assert.equal(removedSummary({ removed: { entries: 120, conversations: 3, cacheEntries: 5 } }), 'Removed 120 context entries, 3 conversations and 5 cached answers.');
    assert.equal(removedSummary({ removed: { entries: 1, conversations: 0, cacheEntries: 0 } }), 'Removed 1 context entry.');
    assert.equal(removedSummary({ removed: { entries: 0, conversations: 1, cacheEntries: 2 } }), 'Removed 1 conversation and 2 cached answers.');
    assert.match(removedSummary({ removed: { entries: 0, conversations: 0, cacheEntries: 0 } }), /^Nothing to remove/);
  });

  it('knows which scopes take the chat\'s conversations', () => {
    assert.deepEqual(
      (['all', 'project', 'conversations', 'cache', 'notes'] as const).filter(clearsConversations),
      ['all', 'conversations'],
    );
  });

  it('shows the stats', () => {
    const { message, detail } = statsLines(stats);
    assert.equal(message, 'Smart Router context: ranked by keywords (the embedding model is loading)');
    assert.equal(detail[0], 'Stored: 3.4 MB of 25.0 MB');
    assert.ok(detail.includes('Response cache: 12 answers, 30 hits, saved $0.0123'));
    assert.ok(detail.includes('Retention: 90 days'));
    assert.ok(statsLines({ ...stats, retentionDays: 0 }).detail.includes('Retention: kept until the size cap needs room'));
  });

  it('formats sizes and note titles', () => {
    assert.equal(formatBytes(12), '12 bytes');
    assert.equal(formatBytes(1), '1 byte');
    assert.equal(formatBytes(830 * 1024), '830 KB');
    assert.equal(noteTitle('/w/src/app.ts', 12, 18), 'app.ts:12-18');
    assert.equal(noteTitle('C:\\w\\app.ts', 3, 3), 'app.ts:3');
    assert.equal(noteTitle(null, 1, 2), undefined);
  });
});
