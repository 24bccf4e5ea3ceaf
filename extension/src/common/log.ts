/**
 * Logging: one `LogOutputChannel` ("Smart Router") shared by the extension and the
 * language client (which also copies the server's stderr into it).
 *
 * API keys must never reach a log. The extension never logs them itself; the language
 * client can trace whole messages (when the channel's level is Trace) and copies the server's
 * stderr, so both go through `redactingChannel`, which blanks every `apiKey`/`api_key` value.
 *
 * Pure module (type-only `vscode` import): unit-tested in plain Node.
 */
import type { Event, LogLevel, LogOutputChannel, ViewColumn } from 'vscode';

/** `"apiKey": "..."` (JSON), `'apiKey': '...'` (Python dict repr), `api_key='...'` (repr). */
const QUOTED_SECRET = /((["']?)\b(?:apiKey|api_key)\2\s*[:=]\s*)(["'])(?:(?!\3)[^\\]|\\.)*\3/g;
/** `apiKey=sk-...`, `api_key: sk-...` */
const BARE_SECRET = /(\b(?:apiKey|api_key)\s*[:=]\s*)(?!["'])[^\s,;})\]]+/g;

/** Replace every API key value in a log line by `***`. */
export function redactSecrets(text: string): string {
  return text.replace(QUOTED_SECRET, '$1$3***$3').replace(BARE_SECRET, '$1***');
}

function redactArg(arg: unknown): unknown {
  if (typeof arg === 'string') {
    return redactSecrets(arg);
  }
  if (arg instanceof Error) {
    return arg;
  }
  if (typeof arg === 'object' && arg !== null) {
    try {
      return redactSecrets(JSON.stringify(arg));
    } catch {
      return '[unserialisable]';
    }
  }
  return arg;
}

/** A view of `channel` that redacts secrets from everything written through it. */
export function redactingChannel(channel: LogOutputChannel): LogOutputChannel {
  return {
    get name(): string {
      return channel.name;
    },
    get logLevel(): LogLevel {
      return channel.logLevel;
    },
    get onDidChangeLogLevel(): Event<LogLevel> {
      return channel.onDidChangeLogLevel;
    },
    trace: (message: string, ...args: unknown[]) =>
      channel.trace(redactSecrets(message), ...args.map(redactArg)),
    debug: (message: string, ...args: unknown[]) =>
      channel.debug(redactSecrets(message), ...args.map(redactArg)),
    info: (message: string, ...args: unknown[]) =>
      channel.info(redactSecrets(message), ...args.map(redactArg)),
    warn: (message: string, ...args: unknown[]) =>
      channel.warn(redactSecrets(message), ...args.map(redactArg)),
    error: (error: string | Error, ...args: unknown[]) =>
      channel.error(typeof error === 'string' ? redactSecrets(error) : error, ...args.map(redactArg)),
    append: (value: string) => channel.append(redactSecrets(value)),
    appendLine: (value: string) => channel.appendLine(redactSecrets(value)),
    replace: (value: string) => channel.replace(redactSecrets(value)),
    clear: () => channel.clear(),
    // The deprecated column argument is ignored; the interface still declares it.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    show: (columnOrPreserveFocus?: ViewColumn | boolean, preserveFocus?: boolean) => {
      channel.show(typeof columnOrPreserveFocus === 'boolean' ? columnOrPreserveFocus : preserveFocus);
    },
    hide: () => channel.hide(),
    // The wrapped channel belongs to the extension, which disposes of it.
    dispose: () => undefined,
  };
}

/** A one-line description of an unknown thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return typeof error === 'string' ? error : JSON.stringify(error);
}

export type LineLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const PYTHON_LOG_LINE =
  /^(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?\s+)?(?:\[)?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)(?:\])?[\s:]+/;
const LEVELS: Readonly<Record<string, LineLevel>> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  WARN: 'warn',
  ERROR: 'error',
  CRITICAL: 'error',
};

/**
 * Sorts the server's stderr lines (Python `logging` output) into log levels: a line that
 * starts with a level name (after an optional timestamp, which the channel adds anyway)
 * gets that level and loses the prefix; other lines (tracebacks) keep the level before them.
 */
export class ServerLogLines {
  private level: LineLevel = 'error';

  classify(line: string): { level: LineLevel; text: string } {
    const match = PYTHON_LOG_LINE.exec(line);
    if (match !== null) {
      this.level = LEVELS[match[1]] ?? 'info';
      return { level: this.level, text: line.slice(match[0].length) };
    }
    return { level: this.level, text: line };
  }
}
