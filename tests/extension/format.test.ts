import * as assert from 'node:assert/strict';
import {
  escapeMarkdownCell,
  formatMicroUsd,
  formatMs,
  formatTokens,
  formatUsd,
  providerSummaries,
  resultFooter,
  routedLine,
} from '../../extension/src/common/format';
import type { AskResult, ModelInfo } from '../../extension/src/common/protocol';

describe('money formatting', () => {
  it('shows every significant micro-dollar below one dollar', () => {
    assert.equal(formatMicroUsd(37), '$0.000037');
    assert.equal(formatMicroUsd(12_400), '$0.0124');
    assert.equal(formatMicroUsd(510_000), '$0.51');
    assert.equal(formatMicroUsd(500_000), '$0.50');
    assert.equal(formatMicroUsd(1), '$0.000001');
    assert.equal(formatMicroUsd(999_999), '$0.999999');
  });

  it('shows zero as $0.00', () => {
    assert.equal(formatMicroUsd(0), '$0.00');
    assert.equal(formatUsd(0), '$0.00');
  });

  it('rounds to cents from one dollar on, with thousands separators', () => {
    assert.equal(formatMicroUsd(1_000_000), '$1.00');
    assert.equal(formatMicroUsd(12_345_678), '$12.35');
    assert.equal(formatMicroUsd(1_234_567_890), '$1,234.57');
  });

  it('handles negative amounts (refunds, corrections)', () => {
    assert.equal(formatMicroUsd(-37), '-$0.000037');
  });

  it('formats float USD through micro-dollars', () => {
    assert.equal(formatUsd(0.0000374), '$0.000037');
    assert.equal(formatUsd(0.0123), '$0.0123');
    assert.equal(formatUsd(0.51), '$0.51');
    assert.equal(formatUsd(2.5), '$2.50');
  });

  it('does not round a tiny non-zero estimate down to zero', () => {
    assert.equal(formatUsd(0.0000001), '<$0.000001');
  });

  it('marks non-finite amounts', () => {
    assert.equal(formatUsd(Number.NaN), '$?');
  });
});

describe('durations and counts', () => {
  it('formats milliseconds', () => {
    assert.equal(formatMs(182.4), '182 ms');
    assert.equal(formatMs(911), '911 ms');
    assert.equal(formatMs(1234), '1.23 s');
    assert.equal(formatMs(12_345), '12.3 s');
    assert.equal(formatMs(65_000), '1 min 5 s');
    assert.equal(formatMs(null), '-');
    assert.equal(formatMs(undefined), '-');
  });

  it('groups token counts', () => {
    assert.equal(formatTokens(21), '21');
    assert.equal(formatTokens(1234), '1,234');
    assert.equal(formatTokens(1_234_567), '1,234,567');
  });
});

describe('markdown cells', () => {
  it('escapes text so it cannot break a table or inject markup', () => {
    assert.equal(escapeMarkdownCell('a|b'), 'a\\|b');
    assert.equal(escapeMarkdownCell('<img src=x>'), '\\<img src=x\\>');
    assert.equal(escapeMarkdownCell('[x](command:evil)'), '\\[x\\](command:evil)');
    assert.equal(escapeMarkdownCell('two\nlines'), 'two lines');
  });
});

describe('chat lines', () => {
  it('routing line shows model, provider and estimates', () => {
    assert.equal(
      routedLine({ model: 'gpt-4o-mini', provider: 'openai', estimatedCostUsd: 0.00004, maxCostUsd: 0.0006 }),
      'gpt-4o-mini (openai) · estimated $0.00004, at most $0.0006',
    );
    assert.equal(
      routedLine({ model: 'm', provider: 'p', estimatedCostUsd: 0.001, maxCostUsd: 0.001 }),
      'm (p) · estimated $0.001',
    );
  });

  it('footer shows model, tokens, cost, time to first token and total time', () => {
    const result: AskResult = {
      requestId: 'r',
      model: 'gpt-4o-mini',
      provider: 'openai',
      text: 'hi',
      inputTokens: 21,
      outputTokens: 57,
      costUsd: 0.0000374,
      costMicroUsd: 37,
      usageEstimated: false,
      ttftMs: 182.4,
      totalMs: 911,
      reason: 'cheapest',
    };
    assert.equal(
      resultFooter(result),
      'gpt-4o-mini (openai) · 21 in / 57 out tokens · $0.000037 · first token 182 ms · total 911 ms',
    );
    assert.match(resultFooter({ ...result, usageEstimated: true }), /≈21 in \/ ≈57 out tokens · ≈\$0\.000037/);
    const cached = { kind: 'exact' as const, similarity: 1, askedAt: '2026-11-22T10:06:00Z', model: 'gpt-4o-mini', prompt: 'q', savedUsd: 0.0002 };
    assert.equal(
      resultFooter({ ...result, costUsd: 0, costMicroUsd: 0, cached }),
      'gpt-4o-mini (openai) · from the cache · $0 · answered in 911 ms',
    );
  });
});

describe('providerSummaries', () => {
  const model = (over: Partial<ModelInfo>): ModelInfo => ({
    id: 'm',
    provider: 'openai',
    apiName: 'm',
    inputUsdPerMtok: 1,
    priceSource: 'test',
    priceDate: null,
    cachedInputUsdPerMtok: null,
    family: 'openai',
    priors: {},
    priorSource: '',
    free: false,
    deprecationDate: null,
    providerKind: 'openai',
    outputUsdPerMtok: 2,
    contextWindow: 1000,
    maxOutputTokens: 100,
    tier: 'fast',
    local: false,
    keyAvailable: false,
    ...over,
  });

  it('lists distinct non-local providers, sorted, with their models and key state', () => {
    const summaries = providerSummaries([
      model({ id: 'gpt-4o', provider: 'openai' }),
      model({ id: 'deepseek-chat', provider: 'deepseek', keyAvailable: true }),
      model({ id: 'gpt-4o-mini', provider: 'openai', keyAvailable: true }),
      model({ id: 'llama', provider: 'ollama', local: true, tier: 'local' }),
    ]);
    assert.deepEqual(summaries, [
      { provider: 'deepseek', keyAvailable: true, models: ['deepseek-chat'] },
      { provider: 'openai', keyAvailable: true, models: ['gpt-4o', 'gpt-4o-mini'] },
    ]);
  });
});
