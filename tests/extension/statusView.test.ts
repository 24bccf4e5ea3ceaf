import * as assert from 'node:assert/strict';
import type { ComponentStatusParams } from '../../extension/src/common/protocol';
import { healthText, readHealth, statusRows } from '../../extension/src/common/statusView';

const model = (id: string, provider: string, keyAvailable: boolean, extra: Record<string, unknown> = {}) => ({
  id,
  provider,
  tier: 'fast',
  keyAvailable,
  local: false,
  ...extra,
});

describe('the status view', () => {
  it('lists the embedding model, providers with their key and health, and usable models', () => {
    const components = new Map<string, ComponentStatusParams>([
      ['embeddings', { component: 'embeddings', state: 'ready', detail: 'all-MiniLM-L6-v2, 384 dimensions' }],
    ]);
    const raw = {
      models: [model('gpt-4o-mini', 'openai', true), model('gpt-4o', 'openai', true), model('claude-3-5-haiku', 'anthropic', false)],
      health: {
        models: {
          'gpt-4o-mini': { state: 'closed', latencyMs: 420.4, ttftMs: 180, errorRate: 0.05, calls: 12, errors: 1, retryInS: null, lastError: 'timeout' },
        },
        providers: {
          openai: { state: 'open', latencyMs: 900, ttftMs: null, errorRate: 0.5, calls: 4, errors: 2, retryInS: 11.2, lastError: 'rate_limited' },
        },
      },
    };
    const rows = statusRows(raw, components);
    const items = rows.filter((r) => r.kind === 'item');
    assert.deepEqual(
      rows.filter((r) => r.kind === 'separator').map((r) => r.label),
      ['Intent classifier', 'Providers', 'Models you can use'],
    );
    assert.equal(items[0].description, '$(pass-filled) ready');
    assert.equal(items[0].detail, 'all-MiniLM-L6-v2, 384 dimensions');
    const find = (suffix: string) => {
      const row = items.find((r) => r.label.endsWith(suffix));
      assert.ok(row, suffix);
      return row;
    };
    const anthropic = find('anthropic');
    assert.equal(anthropic.label, '$(key) anthropic');
    assert.equal(anthropic.setKeyFor, 'anthropic');
    const openai = find('openai');
    assert.equal(openai.label, '$(error) openai');
    assert.equal(openai.description, 'key set · 2 models');
    assert.equal(openai.detail, 'circuit open, retried in 12 s · latency 900 ms · errors 50% · 4 calls · last error: rate limited');
    const mini = find('gpt-4o-mini');
    assert.equal(mini.label, '$(pass-filled) gpt-4o-mini');
    assert.equal(mini.detail, 'latency 420 ms · first token 180 ms · errors 5% · 12 calls');
    assert.ok(!items.some((r) => r.label.endsWith('claude-3-5-haiku')), 'models without a key are not listed as usable');
  });

  it('degrades without health or embedding reports', () => {
    const rows = statusRows({ models: [model('gpt-4o-mini', 'openai', true)] }, new Map());
    const items = rows.filter((r) => r.kind === 'item');
    assert.match(items[0].description ?? '', /no report from the server yet/);
    assert.equal(items[1].label, '$(circle-large-outline) openai');
    assert.equal(items[1].detail, undefined, 'no health line when the server reports no health');
    const fresh = statusRows({ models: [model('gpt-4o-mini', 'openai', true)], health: { models: {}, providers: {} } }, new Map());
    assert.equal(fresh.filter((r) => r.kind === 'item')[1].detail, 'no calls yet');
    assert.deepEqual(statusRows(undefined, new Map()).filter((r) => r.kind === 'item').map((r) => r.label), [
      'Embedding model',
      'No models',
    ]);
  });

  it('reads health per model from the model entry too, and ignores junk', () => {
    assert.equal(readHealth('x'), undefined);
    const h = readHealth({ state: 'weird', latencyMs: 'slow', calls: 3 });
    assert.deepEqual(h, { state: null, latencyMs: null, ttftMs: null, errorRate: null, calls: 3, retryInS: null, lastError: null });
    assert.equal(healthText(readHealth({ state: 'half-open', calls: 2, lastError: 'timeout' })), 'recovering: the next call is a trial · 2 calls · last error: timeout');
    const rows = statusRows({ models: [model('m', 'p', true, { health: { state: 'closed', calls: 1, latencyMs: 50 } })] }, new Map());
    assert.equal(rows.at(-1)?.detail, 'latency 50 ms · 1 call');
  });
});
