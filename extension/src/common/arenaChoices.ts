/**
 * The choices `Smart Router: Arena` offers and the words it uses: the battle groups (built in
 * and the user's `smartRouter.arenaGroups`), the command's arguments for keybindings and tests,
 * and what a budget refusal offers instead.
 *
 * Pure module (no `vscode` import): unit-tested in plain Node.
 */
import { formatUsd } from './format';
import type { ArenaBudgetErrorData } from './protocol';

export interface GroupChoice {
  /** Sent as `group`; undefined for a list of models. */
  group: string;
  label: string;
  description: string;
  detail: string;
}

const BUILT_IN: readonly GroupChoice[] = [
  {
    group: 'hybrid',
    label: 'Hybrid',
    description: 'frontier + fast + Chinese vendor + local',
    detail: 'The strongest frontier model, a cheap fast one, a Chinese-vendor model, and a local one when Ollama runs.',
  },
  {
    group: 'frontier',
    label: 'Frontier',
    description: 'the strongest model of each major vendor',
    detail: 'Up to four vendors, each with its strongest model you have a key for.',
  },
  {
    group: 'fast',
    label: 'Fast',
    description: 'cheap, quick models',
    detail: 'The cheapest fast model of up to four vendors.',
  },
];

/**
 * Hybrid, Frontier and Fast, then the user's groups by name. A user group named like a built-in
 * one replaces it (as on the server), in its place.
 */
export function groupChoices(userGroups: Readonly<Record<string, readonly string[]>>): GroupChoice[] {
  const own = Object.entries(userGroups).filter(([, models]) => Array.isArray(models) && models.length >= 2);
  const byLower = new Map(own.map(([name, models]) => [name.toLowerCase(), { name, models }]));
  const mine = (name: string, models: readonly string[]): GroupChoice => ({
    group: name,
    label: name,
    description: `your group · ${models.length} models`,
    detail: models.join(', '),
  });
  const out = BUILT_IN.map((b) => {
    const replaced = byLower.get(b.group);
    return replaced === undefined ? b : mine(replaced.name, replaced.models);
  });
  const builtIn = new Set(BUILT_IN.map((b) => b.group));
  for (const [name, models] of own.sort(([a], [b]) => a.localeCompare(b))) {
    if (!builtIn.has(name.toLowerCase())) {
      out.push(mine(name, models));
    }
  }
  return out;
}

/** `smartRouter.arena`'s argument: with a prompt and a group (or models) nothing is asked. */
export interface ArenaArgs {
  prompt: string;
  group?: string;
  models?: string[];
  blind?: boolean;
}

export function parseArenaArgs(raw: unknown): Partial<ArenaArgs> | undefined {
  if (typeof raw === 'string') {
    return raw.trim() === '' ? undefined : { prompt: raw.trim() };
  }
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const a = raw as Record<string, unknown>;
  const out: Partial<ArenaArgs> = {};
  if (typeof a.prompt === 'string' && a.prompt.trim() !== '') {
    out.prompt = a.prompt.trim();
  }
  if (typeof a.group === 'string' && a.group.trim() !== '') {
    out.group = a.group.trim();
  }
  if (Array.isArray(a.models) && a.models.length >= 2 && a.models.every((m) => typeof m === 'string' && m !== '')) {
    out.models = a.models as string[];
  }
  if (typeof a.blind === 'boolean') {
    out.blind = a.blind;
  }
  return out;
}

/** The label of a battle of listed models: `gpt-4o-mini, claude-haiku-4-5`. */
export function modelsLabel(models: readonly string[]): string {
  return models.length <= 3 ? models.join(', ') : `${models.slice(0, 2).join(', ')} and ${models.length - 2} more`;
}

/** What a budget refusal offers: a smaller battle that fits, as a button label and its models. */
export interface SmallerBattle {
  button: string;
  group: string;
  models: string[];
}

export function smallerBattle(data: unknown): SmallerBattle | undefined {
  if (typeof data !== 'object' || data === null) {
    return undefined;
  }
  const s = (data as ArenaBudgetErrorData).suggestion;
  if (
    typeof s !== 'object' ||
    s === null ||
    !Array.isArray(s.models) ||
    s.models.length < 2 ||
    !s.models.every((m) => typeof m === 'string')
  ) {
    return undefined;
  }
  const cost = typeof s.maxCostUsd === 'number' ? ` (up to ${formatUsd(s.maxCostUsd)})` : '';
  return { button: `Run ${s.models.length} models${cost}`, group: typeof s.group === 'string' ? s.group : '', models: s.models };
}

/** The battle's worst case from a budget refusal, e.g. `$0.0123`, or undefined. */
export function refusedEstimate(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) {
    return undefined;
  }
  const e = (data as ArenaBudgetErrorData).estimateUsd;
  return typeof e === 'number' && Number.isFinite(e) ? formatUsd(e) : undefined;
}
