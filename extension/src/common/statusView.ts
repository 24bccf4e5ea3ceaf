/**
 * What **Smart Router: Show Status** lists: the embedding model's state, then each provider and
 * model with its key and health (circuit breaker, latency, time to first token, error rate), from
 * `smartRouter/models` and the last `smartRouter/status` notifications.
 *
 * Health is read leniently: a server that reports none (or only part) still gives a useful list.
 * Pure module (no `vscode` import), unit-tested in plain Node.
 */
import { formatMs } from './format';
import type { ComponentStatusParams, ModelInfo } from './protocol';

/** Health of a model deployment or a provider, as `router/health.py` reports it. */
export interface HealthInfo {
  state: 'closed' | 'half-open' | 'open' | null;
  latencyMs: number | null;
  ttftMs: number | null;
  errorRate: number | null;
  calls: number | null;
  retryInS: number | null;
  lastError: string | null;
}

export interface StatusRow {
  kind: 'separator' | 'item';
  label: string;
  description?: string;
  detail?: string;
  /** Provider id when choosing the row should offer to set its key. */
  setKeyFor?: string;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Read a health object (unknown shape: anything missing becomes null). */
export function readHealth(raw: unknown): HealthInfo | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const h = raw as Record<string, unknown>;
  const state = h.state === 'closed' || h.state === 'half-open' || h.state === 'open' ? h.state : null;
  return {
    state,
    latencyMs: num(h.latencyMs),
    ttftMs: num(h.ttftMs),
    errorRate: num(h.errorRate),
    calls: num(h.calls),
    retryInS: num(h.retryInS),
    lastError: str(h.lastError),
  };
}

function healthIcon(h: HealthInfo | undefined, keyOk: boolean): string {
  if (!keyOk) {
    return '$(key)';
  }
  switch (h?.state) {
    case 'open':
      return '$(error)';
    case 'half-open':
      return '$(warning)';
    case 'closed':
      return '$(pass-filled)';
    default:
      return '$(circle-large-outline)';
  }
}

/** `latency 420 ms · first token 180 ms · errors 5% · 12 calls`, or why it is off. */
export function healthText(h: HealthInfo | undefined): string {
  if (h === undefined || (h.calls ?? 0) === 0) {
    return 'no calls yet';
  }
  const parts: string[] = [];
  if (h.state === 'open') {
    parts.push(`circuit open${h.retryInS !== null ? `, retried in ${Math.ceil(h.retryInS)} s` : ''}`);
  } else if (h.state === 'half-open') {
    parts.push('recovering: the next call is a trial');
  }
  if (h.latencyMs !== null) {
    parts.push(`latency ${formatMs(h.latencyMs)}`);
  }
  if (h.ttftMs !== null) {
    parts.push(`first token ${formatMs(h.ttftMs)}`);
  }
  if (h.errorRate !== null) {
    parts.push(`errors ${Math.round(h.errorRate * 100)}%`);
  }
  if (h.calls !== null) {
    parts.push(`${h.calls} call${h.calls === 1 ? '' : 's'}`);
  }
  if (h.lastError !== null && h.state !== 'closed') {
    parts.push(`last error: ${h.lastError.replace(/_/g, ' ')}`);
  }
  return parts.join(' · ');
}

const EMBEDDING_STATES: Readonly<Record<string, string>> = {
  loading: '$(sync~spin) loading: the lexical classifier answers meanwhile',
  ready: '$(pass-filled) ready',
  missing: '$(circle-slash) not installed: the lexical classifier is used',
  failed: '$(error) failed: the lexical classifier is used',
  off: '$(circle-slash) off (smartRouter.embeddingModel): the lexical classifier is used',
};

/** The rows of the status view. `raw` is the `smartRouter/models` result as received. */
export function statusRows(raw: unknown, components: ReadonlyMap<string, ComponentStatusParams>): StatusRow[] {
  const result = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const models = (Array.isArray(result.models) ? result.models : []) as (ModelInfo & Record<string, unknown>)[];
  const snapshot = (typeof result.health === 'object' && result.health !== null ? result.health : {}) as Record<
    string,
    unknown
  >;
  const table = (name: string): Record<string, unknown> =>
    (typeof snapshot[name] === 'object' && snapshot[name] !== null ? snapshot[name] : {}) as Record<string, unknown>;
  // a server that reports no health at all gets no health line (rather than "no calls yet")
  const reported = result.health !== undefined || models.some((m) => m.health !== undefined);
  const healthLine = (h: HealthInfo | undefined): string | undefined => (reported ? healthText(h) : undefined);
  const modelHealth = table('models');
  const providerHealth = table('providers');

  const rows: StatusRow[] = [{ kind: 'separator', label: 'Intent classifier' }];
  const embeddings =
    components.get('embeddings') ??
    (typeof result.embeddings === 'object' && result.embeddings !== null
      ? (result.embeddings as ComponentStatusParams)
      : undefined);
  rows.push({
    kind: 'item',
    label: 'Embedding model',
    description:
      embeddings === undefined
        ? 'no report from the server yet: the lexical classifier is used'
        : (EMBEDDING_STATES[embeddings.state] ?? embeddings.state),
    detail: str(embeddings?.detail) ?? undefined,
  });
  for (const [name, status] of components) {
    if (name !== 'embeddings') {
      rows.push({ kind: 'item', label: name, description: status.state, detail: str(status.detail) ?? undefined });
    }
  }

  const providers = new Map<string, (ModelInfo & Record<string, unknown>)[]>();
  for (const m of models) {
    providers.set(m.provider, [...(providers.get(m.provider) ?? []), m]);
  }
  rows.push({ kind: 'separator', label: 'Providers' });
  if (providers.size === 0) {
    rows.push({ kind: 'item', label: 'No models', description: 'the server listed no model' });
  }
  for (const [provider, list] of [...providers].sort(([a], [b]) => a.localeCompare(b))) {
    const keyOk = list.some((m) => m.keyAvailable || m.local);
    const health = readHealth(providerHealth[provider] ?? list[0].providerHealth);
    rows.push({
      kind: 'item',
      label: `${healthIcon(health, keyOk)} ${provider}`,
      description: `${keyOk ? (list[0].local ? 'local' : 'key set') : 'no API key: choose to set one'} · ${list.length} model${list.length === 1 ? '' : 's'}`,
      detail: keyOk ? healthLine(health) : undefined,
      setKeyFor: keyOk ? undefined : provider,
    });
  }
  const usable = models.filter((m) => m.keyAvailable || m.local);
  if (usable.length > 0) {
    rows.push({ kind: 'separator', label: 'Models you can use' });
    for (const m of usable) {
      const health = readHealth(modelHealth[m.id] ?? m.health);
      rows.push({
        kind: 'item',
        label: `${healthIcon(health, true)} ${m.id}`,
        description: `${m.provider} · ${m.tier}`,
        detail: healthLine(health),
      });
    }
  }
  return rows;
}
