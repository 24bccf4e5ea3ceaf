/** Server payloads of the sessions and context surface, shared by the chat tests. */
import type {
  AskResult,
  CachedInfo,
  ContextItemInfo,
  ConversationDetail,
  ConversationSummary,
  RoutedParams,
} from '../../extension/src/common/protocol';

export const item = (over: Partial<ContextItemInfo> = {}): ContextItemInfo => ({
  id: 7,
  kind: 'document',
  label: 'function parseConfig',
  file: '/work/project/src/config/parse.ts',
  startLine: 10,
  endLine: 24,
  score: 0.8123,
  reasons: ['similar meaning 0.74', 'same file'],
  tokens: 180,
  preview: 'export function parseConfig(text: string) {',
  ...over,
});

export const cached: CachedInfo = {
  kind: 'semantic',
  similarity: 0.934,
  askedAt: '2026-11-22T09:41:00Z',
  model: 'gpt-4o-mini',
  prompt: 'How do I reverse a list in Python?',
  savedUsd: 0.0012,
};

export const summary = (over: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id: 'c1',
  title: 'Reverse a list',
  workspace: '/work/project',
  createdAt: '2026-11-22T08:00:00Z',
  updatedAt: '2026-11-22T09:00:00Z',
  messages: 4,
  lastModel: 'gpt-4o-mini',
  costUsd: 0.0021,
  forkedFrom: null,
  ...over,
});

export const detail: ConversationDetail = {
  id: 'c1',
  title: 'Reverse a list',
  workspace: '/work/project',
  forkedFrom: null,
  messages: [
    { seq: 1, role: 'user', content: 'How do I reverse a list?', model: null, intent: 'explain', costUsd: 0, cached: false, ts: '2026-11-22T09:00:00Z', context: [] },
    { seq: 2, role: 'assistant', content: 'Use `items[::-1]`.', model: 'gpt-4o-mini', intent: 'explain', costUsd: 0.0001, cached: false, ts: '2026-11-22T09:00:01Z', context: [item()] },
    { seq: 3, role: 'user', content: 'And in place?', model: null, intent: 'explain', costUsd: 0, cached: false, ts: '2026-11-22T09:01:00Z', context: [] },
    { seq: 4, role: 'assistant', content: 'Call `items.reverse()`.', model: 'gpt-4.1-mini', intent: 'explain', costUsd: 0, cached: true, ts: '2026-11-22T09:01:01Z', context: [] },
    { seq: 5, role: 'user', content: 'Unanswered', model: null, intent: null, costUsd: 0, cached: false, ts: '2026-11-22T09:02:00Z', context: [] },
  ],
};

/** A routed notification and the result of the same plain ask (request r1). */
export const routed: RoutedParams = {
  requestId: 'r1',
  model: 'gpt-4o-mini',
  provider: 'openai',
  reason: 'cheapest usable model',
  inputTokens: 12,
  estimatedCostUsd: 0.00004,
  maxCostUsd: 0.0006,
};

export const result: AskResult = {
  requestId: 'r1',
  model: 'gpt-4o-mini',
  provider: 'openai',
  text: 'Hello, world.',
  inputTokens: 12,
  outputTokens: 4,
  costUsd: 0.000004,
  costMicroUsd: 4,
  usageEstimated: false,
  ttftMs: 100,
  totalMs: 300,
  reason: 'cheapest usable model',
};
