/**
 * The `smartRouter.*` settings, typed.
 *
 * Mirrors `contributes.configuration` in package.json and `Settings` in
 * `server/smart_router/config.py`. The server validates every value again and answers
 * `bad_settings` with a message naming the field, so this module only fills in defaults
 * and drops values of the wrong JSON type; it does not second-guess the server.
 *
 * Pure module (type-only `vscode` import): unit-tested in plain Node.
 */
import type { ConfigurationChangeEvent } from 'vscode';
import { Extension } from './constants';
import type { BudgetSettings } from './budgets';
import type { ModelTier } from './protocol';

export type LogLevel = 'error' | 'warning' | 'info' | 'debug';
export type ProviderKind = 'openai' | 'azure' | 'anthropic' | 'gemini' | 'ollama';
export type { ModelTier };

export interface ProviderSettings {
  baseUrl?: string;
  apiKeyEnv?: string;
  enabled?: boolean;
  kind?: ProviderKind;
  /** Azure OpenAI's api-version. */
  apiVersion?: string;
  local?: boolean;
}

export type Intent =
  | 'code_generation'
  | 'code_explanation'
  | 'debugging'
  | 'refactoring'
  | 'test_generation'
  | 'documentation'
  | 'code_review'
  | 'architecture'
  | 'reasoning'
  | 'writing'
  | 'general';

/** A model to add (provider, prices and context window needed) or a catalog model to override (any field). */
export interface ModelSettings {
  id: string;
  provider?: string;
  apiName?: string;
  inputUsdPerMtok?: number;
  outputUsdPerMtok?: number;
  cachedInputUsdPerMtok?: number;
  priceSource?: string;
  priceDate?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  tier?: ModelTier;
  family?: string;
  priors?: Partial<Record<Intent, number>>;
  priorSource?: string;
  flags?: { streaming?: boolean; systemRole?: boolean; jsonMode?: boolean; vision?: boolean };
  free?: boolean;
  /** Catalog id of the same model served by another provider (an equivalent deployment). */
  canonical?: string;
}

export type RoutingPreference = 'cost' | 'balanced' | 'quality';

/** A routing rule (`smartRouter.rules`); the server validates it against the catalog. */
export interface RoutingRule {
  name: string;
  when?: {
    intent?: Intent[];
    complexityMin?: number;
    complexityMax?: number;
    language?: string[];
    fileGlob?: string | string[];
    tokensMin?: number;
    tokensMax?: number;
    workspace?: string;
  };
  then: {
    requireModel?: string[];
    preferModel?: string[];
    forbidModel?: string[];
    requireProvider?: string[];
    preferProvider?: string[];
    forbidProvider?: string[];
    requireTier?: ModelTier[];
    preferTier?: ModelTier[];
    forbidTier?: ModelTier[];
    maxCostUsd?: number;
    localOnly?: boolean;
  };
}

/**
 * `smartRouter.context.*`: the context cache. VS Code hands these keys over as one `context`
 * object of the `smartRouter` section (dotted keys nest), which is how the server expects them.
 */
export interface ContextSettings {
  enabled: boolean;
  maxTokens: number;
  cacheSizeMb: number;
  retentionDays: number;
  /** Globs on the file path of files never stored nor sent. */
  exclude: string[];
  responseCache: boolean;
  cacheSimilarity: number;
}

export const DEFAULT_CONTEXT_SETTINGS: Readonly<ContextSettings> = Object.freeze({
  enabled: true,
  maxTokens: 4000,
  cacheSizeMb: 25,
  retentionDays: 90,
  exclude: ['.env', '.env.*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/*secret*', '**/node_modules/**', '**/.git/**'],
  responseCache: true,
  cacheSimilarity: 0.55,
});

/** The instructions sent with every ask unless the user changes them (as in package.json). */
export const DEFAULT_SYSTEM_PROMPT =
  "You are Smart Router, a coding assistant inside the user's editor. Answer precisely and " +
  'concisely. Use Markdown, and put code in fenced blocks with a language tag.';

/** What the server receives (`initializationOptions.settings`, `didChangeConfiguration`). */
export interface ServerSettings {
  /** Used by the extension only; the server accepts and ignores it. */
  pythonPath: string;
  defaultModel: string;
  systemPrompt: string;
  providers: Record<string, ProviderSettings>;
  models: ModelSettings[];
  maxOutputTokens: number;
  requestTimeoutSeconds: number;
  databasePath: string;
  logLevel: LogLevel;
  routingPreference: RoutingPreference;
  rules: RoutingRule[];
  budgets: BudgetSettings;
  /** sentence-transformers model folder; empty: the packaged all-MiniLM-L6-v2; `off`: none. */
  embeddingModel: string;
  /** The user's arena battle groups: name -> two or more catalog model ids. */
  arenaGroups: Record<string, string[]>;
  /** Catalog id of the model that merges a battle's best answers into one; empty: no merge. */
  arenaJudge: string;
  /** The context cache (`smartRouter.context.*`). */
  context: ContextSettings;
}

/** Defaults, identical to package.json (a unit test checks it). */
export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  pythonPath: '',
  defaultModel: '',
  systemPrompt: DEFAULT_SYSTEM_PROMPT,
  providers: {},
  models: [],
  maxOutputTokens: 1024,
  requestTimeoutSeconds: 60,
  databasePath: '',
  logLevel: 'info',
  routingPreference: 'balanced',
  rules: [],
  budgets: {},
  embeddingModel: '',
  arenaGroups: {},
  arenaJudge: '',
  context: DEFAULT_CONTEXT_SETTINGS,
});

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof ServerSettings)[];

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warning', 'info', 'debug'];
const PREFERENCES: readonly RoutingPreference[] = ['cost', 'balanced', 'quality'];

/** The `context` object: each known key of the right JSON type, else its default; unknown keys
 * are passed on for the server to name. */
function normaliseContext(value: unknown): ContextSettings {
  const raw = isPlainObject(value) ? value : {};
  const d = DEFAULT_CONTEXT_SETTINGS;
  const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
  const num = (v: unknown, fallback: number): number =>
    typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  const exclude = Array.isArray(raw.exclude) ? raw.exclude.filter((g): g is string => typeof g === 'string') : [...d.exclude];
  const known = new Set(Object.keys(d));
  const extra = Object.fromEntries(Object.entries(plainCopy(raw)).filter(([k]) => !known.has(k)));
  return {
    ...extra,
    enabled: bool(raw.enabled, d.enabled),
    maxTokens: num(raw.maxTokens, d.maxTokens),
    cacheSizeMb: num(raw.cacheSizeMb, d.cacheSizeMb),
    retentionDays: num(raw.retentionDays, d.retentionDays),
    exclude,
    responseCache: bool(raw.responseCache, d.responseCache),
    cacheSimilarity: num(raw.cacheSimilarity, d.cacheSimilarity),
  };
}

/** The part of `vscode.WorkspaceConfiguration` this module reads. */
export interface ConfigurationReader {
  get(section: string): unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy as plain JSON data (VS Code hands out proxies that are read-only). */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Read the `smartRouter` section into a plain object: defaults for missing values and for
 * values of the wrong JSON type. Numbers out of range and unknown fields inside objects are
 * passed through for the server to reject with a useful message.
 */
export function normaliseSettings(config: ConfigurationReader): ServerSettings {
  const str = (key: keyof ServerSettings, fallback: string): string => {
    const value = config.get(key);
    return typeof value === 'string' ? value.trim() : fallback;
  };
  const num = (key: keyof ServerSettings, fallback: number): number => {
    const value = config.get(key);
    return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  };
  const providers = config.get('providers');
  const models = config.get('models');
  const logLevel = config.get('logLevel');
  const preference = config.get('routingPreference');
  const rules = config.get('rules');
  const budgets = config.get('budgets');
  const arenaGroups = config.get('arenaGroups');
  return {
    pythonPath: str('pythonPath', DEFAULT_SETTINGS.pythonPath),
    defaultModel: str('defaultModel', DEFAULT_SETTINGS.defaultModel),
    systemPrompt: str('systemPrompt', DEFAULT_SETTINGS.systemPrompt),
    providers: isPlainObject(providers)
      ? plainCopy(providers as Record<string, ProviderSettings>)
      : {},
    models: Array.isArray(models) ? plainCopy(models as ModelSettings[]) : [],
    maxOutputTokens: num('maxOutputTokens', DEFAULT_SETTINGS.maxOutputTokens),
    requestTimeoutSeconds: num('requestTimeoutSeconds', DEFAULT_SETTINGS.requestTimeoutSeconds),
    databasePath: str('databasePath', DEFAULT_SETTINGS.databasePath),
    logLevel: LOG_LEVELS.includes(logLevel as LogLevel)
      ? (logLevel as LogLevel)
      : DEFAULT_SETTINGS.logLevel,
    routingPreference: PREFERENCES.includes(preference as RoutingPreference)
      ? (preference as RoutingPreference)
      : DEFAULT_SETTINGS.routingPreference,
    rules: Array.isArray(rules) ? plainCopy(rules as RoutingRule[]) : [],
    budgets: isPlainObject(budgets) ? plainCopy(budgets as BudgetSettings) : {},
    embeddingModel: str('embeddingModel', DEFAULT_SETTINGS.embeddingModel),
    arenaGroups: isPlainObject(arenaGroups) ? plainCopy(arenaGroups as Record<string, string[]>) : {},
    arenaJudge: str('arenaJudge', DEFAULT_SETTINGS.arenaJudge),
    context: normaliseContext(config.get('context')),
  };
}

export interface ExpansionContext {
  home: string;
  workspaceFolder: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Expand `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a path setting,
 * the way VS Code's own settings do. Unknown variables are left as they are.
 */
export function expandPath(value: string, ctx: ExpansionContext): string {
  let out = value.trim();
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = ctx.home + out.slice(1);
  }
  return out.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'userHome') {
      return ctx.home;
    }
    if (name === 'workspaceFolder') {
      return ctx.workspaceFolder ?? whole;
    }
    if (name.startsWith('env:')) {
      return ctx.env[name.slice(4)] ?? '';
    }
    return whole;
  });
}

/** Whether a configuration change touches this extension's settings. */
export function affectsSettings(e: Pick<ConfigurationChangeEvent, 'affectsConfiguration'>): boolean {
  return e.affectsConfiguration(Extension.CONFIG_SECTION);
}

/** Whether a change needs a new server process (another interpreter), not just a notification. */
export function needsRestart(e: Pick<ConfigurationChangeEvent, 'affectsConfiguration'>): boolean {
  return e.affectsConfiguration(`${Extension.CONFIG_SECTION}.pythonPath`);
}
