/**
 * The messages the chat panel and its webview exchange, and the check of everything the
 * webview sends (its page renders model output: trust nothing that comes back from it).
 *
 * Pure module, bundled into both the extension and the webview; unit-tested in plain Node.
 */
import type { SessionView } from './chatSession';
import type { ChatAction, ChatEntry } from './transcript';

/** Messages the extension posts to the webview. */
export type ToWebview =
  | { type: 'reset'; entries: ChatEntry[]; session: SessionView }
  | { type: 'action'; action: ChatAction }
  | { type: 'session'; session: SessionView }
  | { type: 'focusInput' };

/** A range of a file to open from a context item. */
export interface FileRange {
  file: string;
  startLine: number | null;
  endLine: number | null;
}

/** Messages the webview posts to the extension. */
export type FromWebview =
  | { type: 'ready' }
  /** `model` null: the router decides; `noCache`: skip the response cache (Ask afresh). */
  | { type: 'ask'; prompt: string; model: string | null; noCache: boolean }
  | { type: 'stop'; requestId: string }
  | { type: 'copy'; text: string }
  | { type: 'setApiKey'; provider: string | null }
  | { type: 'clear' }
  | { type: 'setModel'; model: string | null }
  | { type: 'newChat' }
  | { type: 'listConversations' }
  | { type: 'openConversation'; id: string }
  | { type: 'renameConversation'; id: string }
  | { type: 'deleteConversation'; id: string }
  | { type: 'fork'; requestId: string }
  | ({ type: 'openFile' } & FileRange);

/** Longest id (conversation, request, model) accepted from the webview. */
const MAX_ID = 200;

function id(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v.length <= MAX_ID ? v : undefined;
}

/** A model id, null for Auto; undefined when it is neither. */
function model(v: unknown): string | null | undefined {
  return v === null || v === undefined || v === '' ? null : id(v);
}

function line(v: unknown): number | null | undefined {
  if (v === null || v === undefined) {
    return null;
  }
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function withId<T extends 'openConversation' | 'renameConversation' | 'deleteConversation'>(
  type: T,
  raw: unknown,
): { type: T; id: string } | undefined {
  const value = id(raw);
  return value === undefined ? undefined : { type, id: value };
}

/** Validate a message from the webview. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null) {
    return undefined;
  }
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'clear':
    case 'newChat':
    case 'listConversations':
      return { type: m.type };
    case 'ask': {
      const picked = model(m.model);
      if (typeof m.prompt !== 'string' || m.prompt.trim() === '' || picked === undefined) {
        return undefined;
      }
      return { type: 'ask', prompt: m.prompt, model: picked, noCache: m.noCache === true };
    }
    case 'stop':
      return typeof m.requestId === 'string' ? { type: 'stop', requestId: m.requestId } : undefined;
    case 'copy':
      return typeof m.text === 'string' ? { type: 'copy', text: m.text } : undefined;
    case 'setApiKey':
      return {
        type: 'setApiKey',
        provider: typeof m.provider === 'string' && m.provider !== '' ? m.provider : null,
      };
    case 'setModel': {
      const picked = model(m.model);
      return picked === undefined ? undefined : { type: 'setModel', model: picked };
    }
    case 'openConversation':
    case 'renameConversation':
    case 'deleteConversation':
      return withId(m.type, m.id);
    case 'fork': {
      const requestId = id(m.requestId);
      return requestId === undefined ? undefined : { type: 'fork', requestId };
    }
    case 'openFile': {
      const startLine = line(m.startLine);
      const endLine = line(m.endLine);
      if (typeof m.file !== 'string' || m.file === '' || startLine === undefined || endLine === undefined) {
        return undefined;
      }
      return { type: 'openFile', file: m.file, startLine, endLine };
    }
    default:
      return undefined;
  }
}
