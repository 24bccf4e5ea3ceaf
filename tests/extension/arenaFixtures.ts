/** A three-model battle as the server reports it, for the arena tests. */
import type { ArenaResult, ArenaStartedParams, ContestantResult } from '../../extension/src/common/protocol';

export const STARTED: ArenaStartedParams = {
  requestId: 'r1',
  battleId: 'b1',
  group: 'hybrid',
  intent: 'code_explanation',
  members: [
    { model: 'gpt-4o-mini', provider: 'openai' },
    { model: 'gpt-4o', provider: 'openai' },
    { model: 'claude-haiku-4-5', provider: 'anthropic' },
  ],
  dropped: [{ model: 'llama3.2:3b', reason: 'Ollama is not running' }],
  estimatedMaxCostUsd: 0.0123,
};

export function contestant(model: string, provider: string, over: Partial<ContestantResult> = {}): ContestantResult {
  return {
    model,
    provider,
    status: 'ok',
    text: `Answer of ${model}`,
    error: null,
    ttftMs: 120,
    totalMs: 900,
    inputTokens: 30,
    outputTokens: 200,
    costUsd: 0.00042,
    costMicroUsd: 420,
    ...over,
  };
}

export function result(over: Partial<ArenaResult> = {}): ArenaResult {
  return {
    requestId: 'r1',
    battleId: 'b1',
    group: 'hybrid',
    intent: 'code_explanation',
    members: STARTED.members,
    dropped: STARTED.dropped,
    contestants: [
      contestant('gpt-4o-mini', 'openai'),
      contestant('gpt-4o', 'openai', { status: 'error', text: '', error: { message: 'openai answered 500 for gpt-4o: Retry later.', kind: 'provider_unavailable' } }),
      contestant('claude-haiku-4-5', 'anthropic'),
    ],
    pick: { model: 'claude-haiku-4-5', reason: 'claude-haiku-4-5 agrees most with gpt-4o-mini', scores: { 'gpt-4o-mini': 0.8, 'gpt-4o': 0, 'claude-haiku-4-5': 0.9 } },
    totalCostUsd: 0.00084,
    wallMs: 1234,
    ...over,
  };
}
