// Shared helpers for the extension-host suite: the extension's API, bounded waits, the fake provider.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'smart-router.smart-router';
export const API_KEY = process.env.OPENAI_API_KEY ?? 'sk-test-e2e-1234';

// The extension's own API types (types only: nothing from extension/src is loaded at run time).
import type { AskResult, BudgetStatus, ChatEntry, SmartRouterApi } from '../../../extension/src/api';
export type { AskResult, BudgetStatus, ChatEntry, SmartRouterApi };

/** Reject with a message naming `what` if `p` takes longer than `ms`. */
export async function withTimeout<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(p),
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error(`timeout after ${ms / 1000}s waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Poll `probe` every 100 ms until it returns a truthy value; the error names `what` and the last value seen. */
export async function waitUntil<T>(probe: () => T | Promise<T>, ms: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  let lastErr: unknown;
  for (;;) {
    try {
      last = await probe();
      if (last) return last as NonNullable<T>;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > end) {
      const seen = lastErr ? `last error: ${String(lastErr)}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`timeout after ${ms / 1000}s waiting for ${what} (${seen})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

let apiPromise: Promise<SmartRouterApi> | undefined;
/** Activate the extension once and wait for its `ready` promise. */
export function api(): Promise<SmartRouterApi> {
  apiPromise ??= (async () => {
    const ext = vscode.extensions.getExtension<SmartRouterApi>(EXTENSION_ID);
    if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
    const a = await withTimeout(ext.activate(), 60_000, 'the extension to activate');
    if (!a || typeof a.statusBar !== 'function') throw new Error('activate() did not return the Smart Router API');
    await withTimeout(a.ready, 60_000, 'api.ready (sidecar started and initialized)');
    return a;
  })();
  return apiPromise;
}

/** Tooltip as plain text whether it is a string or a MarkdownString. */
export function tooltipText(t: unknown): string {
  // the API gives Markdown source; be lenient if it ever hands over a MarkdownString
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && 'value' in t) return String((t as { value: unknown }).value);
  return t === undefined ? '' : JSON.stringify(t);
}

// ---- the fake provider's control API (tests/fakes/provider.py) --------------------------------------
export function fakeUrl(): string {
  const u = process.env.SMART_ROUTER_FAKE_URL;
  if (!u) throw new Error('SMART_ROUTER_FAKE_URL is not set (run the suite through tests/vscode/run.sh)');
  return u.replace(/\/+$/, '');
}

export async function fake(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(fakeUrl() + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fake ${method} ${path} -> HTTP ${res.status}: ${text.slice(0, 500)}`);
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export interface FakeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
export async function fakeRequests(): Promise<FakeRequest[]> {
  const r = (await fake('GET', '/__fake__/requests')) as FakeRequest[] | { requests: FakeRequest[] };
  return Array.isArray(r) ? r : r.requests;
}

/** Run the real command as a user's keybinding would, bounded. */
export function ask(prompt: string, ms = 60_000): Promise<AskResult | undefined> {
  return withTimeout(
    vscode.commands.executeCommand<AskResult | undefined>('smartRouter.ask', prompt),
    ms,
    `smartRouter.ask("${prompt.slice(0, 40)}")`,
  );
}

/** Expected cost in micro-USD for gpt-4o-mini (0.15 USD/Mtok in, 0.60 USD/Mtok out) = in*0.15 + out*0.60. */
export function gpt4oMiniMicroUsd(inputTokens: number, outputTokens: number): number {
  return inputTokens * 0.15 + outputTokens * 0.6;
}
