/**
 * The words of the context commands (commands/context.ts): the scopes of Clear Context with
 * what each holds now, the confirmation, what was removed, the stats, and a pinned note's
 * title.
 *
 * Pure module: unit-tested in plain Node.
 */
import { formatUsd } from './format';
import type { ContextClearResult, ContextClearScope, ContextStats } from './protocol';

export interface ScopeChoice {
  scope: ContextClearScope;
  label: string;
  /** What the scope holds now (empty when the stats are not known). */
  description: string;
  detail: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** `1.2 MB`, `830 KB`, `12 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  }
  if (bytes >= 1024) {
    return `${Math.round(bytes / 1024)} KB`;
  }
  return plural(Math.max(0, Math.round(bytes)), 'byte');
}

function totalEntries(s: ContextStats): number {
  const e = s.entries;
  return e.document + e.selection + e.note + e.message;
}

/** The quick pick of Clear Context, most thorough first, each with its counts when known. */
export function scopeChoices(stats: ContextStats | undefined): ScopeChoice[] {
  const count = (f: (s: ContextStats) => string): string => (stats === undefined ? '' : f(stats));
  return [
    {
      scope: 'all',
      label: 'Everything',
      description: count(
        (s) =>
          `${plural(totalEntries(s), 'entry', 'entries')}, ${plural(s.conversations, 'conversation')}, ` +
          `${plural(s.cacheEntries, 'cached answer')} · ${formatBytes(s.bytes)}`,
      ),
      detail: 'Project context, conversations, cached answers and pinned notes.',
    },
    {
      scope: 'project',
      label: 'Project context',
      description: count(
        (s) => `${plural(s.entries.document + s.entries.selection, 'snippet')} from ${plural(s.files, 'file')}`,
      ),
      detail: 'Snippets of the files you opened and the selections you asked about.',
    },
    {
      scope: 'conversations',
      label: 'Conversations',
      description: count((s) => `${plural(s.conversations, 'conversation')}, ${plural(s.messages, 'message')}`),
      detail: 'Every stored conversation of the chat, with its messages.',
    },
    {
      scope: 'cache',
      label: 'Cached answers',
      description: count((s) => `${plural(s.cacheEntries, 'answer')}, saved ${formatUsd(s.savedUsd)} so far`),
      detail: 'Answers reused at no cost when a question comes again.',
    },
    {
      scope: 'notes',
      label: 'Pinned notes',
      description: count((s) => plural(s.entries.note, 'note')),
      detail: 'Notes pinned with Smart Router: Pin Selection as Note.',
    },
  ];
}

/** The modal question before clearing. */
export function clearQuestion(choice: ScopeChoice): { message: string; detail: string } {
  const what = choice.scope === 'all' ? 'all Smart Router context' : choice.label.toLowerCase();
  const holds = choice.description !== '' ? ` (${choice.description})` : '';
  return {
    message: `Clear ${what}?`,
    detail: `${choice.detail}${holds} This cannot be undone.`,
  };
}

/** `Removed 120 context entries, 3 conversations and 5 cached answers.` */
export function removedSummary(result: ContextClearResult): string {
  const r = result.removed;
  const parts: string[] = [];
  if (r.entries > 0) {
    parts.push(plural(r.entries, 'context entry', 'context entries'));
  }
  if (r.conversations > 0) {
    parts.push(plural(r.conversations, 'conversation'));
  }
  if (r.cacheEntries > 0) {
    parts.push(plural(r.cacheEntries, 'cached answer'));
  }
  if (parts.length === 0) {
    return 'Nothing to remove: that part of the context was already empty.';
  }
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `Removed ${list}.`;
}

/** Whether clearing `scope` removes the chat's conversations. */
export function clearsConversations(scope: ContextClearScope): boolean {
  return scope === 'all' || scope === 'conversations';
}

/** Show Context Stats: a headline and the lines of its detail. */
export function statsLines(s: ContextStats): { message: string; detail: string[] } {
  const e = s.entries;
  const detail = [
    `Stored: ${formatBytes(s.bytes)} of ${formatBytes(s.capBytes)}`,
    `Project: ${plural(e.document + e.selection, 'snippet')} from ${plural(s.files, 'file')}`,
    `Notes: ${plural(e.note, 'pinned note')}`,
    `Conversations: ${plural(s.conversations, 'conversation')}, ${plural(s.messages, 'message')}`,
    `Embedded: ${s.embedded.toLocaleString('en-US')}, waiting: ${s.pending.toLocaleString('en-US')}`,
    `Response cache: ${plural(s.cacheEntries, 'answer')}, ${plural(s.cacheHits, 'hit')}, saved ${formatUsd(s.savedUsd)}`,
    `Retention: ${s.retentionDays === 0 ? 'kept until the size cap needs room' : `${s.retentionDays} days`}`,
  ];
  const mode = s.mode === 'embedding' ? 'ranked by meaning' : s.mode === 'lexical' ? 'ranked by keywords' : 'off';
  return { message: `Smart Router context: ${mode}${s.modeDetail !== '' ? ` (${s.modeDetail})` : ''}`, detail };
}

/** A note's title from where it was pinned: `app.ts:12-18`. */
export function noteTitle(filePath: string | null, startLine: number, endLine: number): string | undefined {
  if (filePath === null) {
    return undefined;
  }
  const name = filePath.split(/[\\/]/).pop() ?? filePath;
  return startLine === endLine ? `${name}:${startLine}` : `${name}:${startLine}-${endLine}`;
}
