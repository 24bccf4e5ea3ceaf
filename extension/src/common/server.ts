/**
 * The language client and the Python sidecar process behind it.
 *
 * `ServerManager` finds a Python (common/python.ts), runs `python -m smart_router` over
 * stdio with `vscode-languageclient`, hands the `smartRouter` settings over in
 * `initializationOptions` and on every change, restarts on demand, and re-publishes the
 * server's notifications as VS Code events so that the UI does not care which client
 * instance is current. Crashes are handled by the client's default error handler (it
 * restarts the server up to 4 times in 3 minutes); this module logs them and reflects them
 * in its state (`starting` while it restarts, `failed` once it gives up).
 */
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Extension, Notifications, Python, Timing } from './constants';
import { ServerLogLines, describeError, redactingChannel } from './log';
import type {
  ArenaContestantParams,
  ArenaMergeParams,
  ArenaStartedParams,
  ArenaStreamParams,
  BudgetAlertParams,
  BudgetStatus,
  ComponentStatusParams,
  RoutedParams,
  StreamParams,
} from './protocol';
import { findPython, formatVersion, type PythonProblem } from './python';
import { expandPath, needsRestart, normaliseSettings, type ServerSettings } from './settings';

export type ServerState =
  | { state: 'starting' }
  | { state: 'running' }
  | { state: 'failed'; message: string; problem?: PythonProblem }
  | { state: 'stopped' };

/** The `smartRouter` section as a plain object, defaults filled in. */
export function readSettings(): ServerSettings {
  return normaliseSettings(vscode.workspace.getConfiguration(Extension.CONFIG_SECTION));
}

/** `smartRouter.pythonPath` with `~`, `${workspaceFolder}`, ... expanded. */
export function configuredPythonPath(settings: ServerSettings): string {
  return expandPath(settings.pythonPath, {
    home: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    env: process.env,
  });
}

/** Folder of the private virtual environment created by **Install Server**. */
export function privateVenvDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, Python.VENV_DIR);
}

/** The extension's version from its package.json. */
export function versionOf(context: vscode.ExtensionContext): string {
  const version = (context.extension.packageJSON as { version?: unknown }).version;
  return typeof version === 'string' ? version : '';
}

/**
 * Forwards to the client's default error handler (set as `delegate` once the client exists)
 * and lets the manager log and adjust the outcome.
 */
class DelegatingErrorHandler implements ErrorHandler {
  delegate: ErrorHandler | undefined;

  constructor(
    private readonly hooks: {
      error(error: Error, count: number | undefined): void;
      closed(result: CloseHandlerResult): CloseHandlerResult;
    },
  ) {}

  async error(error: Error, message: Message | undefined, count: number | undefined): Promise<ErrorHandlerResult> {
    this.hooks.error(error, count);
    return this.delegate !== undefined
      ? await this.delegate.error(error, message, count)
      : { action: ErrorAction.Shutdown };
  }

  async closed(): Promise<CloseHandlerResult> {
    const result =
      this.delegate !== undefined ? await this.delegate.closed() : { action: CloseAction.DoNotRestart };
    return this.hooks.closed(result);
  }
}

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private current: ServerState = { state: 'stopped' };
  /** Serialises start/stop/restart. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clientDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly routedEmitter = new vscode.EventEmitter<RoutedParams>();
  private readonly streamEmitter = new vscode.EventEmitter<StreamParams>();
  private readonly budgetEmitter = new vscode.EventEmitter<BudgetStatus>();
  private readonly budgetAlertEmitter = new vscode.EventEmitter<BudgetAlertParams>();
  private readonly statusEmitter = new vscode.EventEmitter<ComponentStatusParams>();
  private readonly arenaStartedEmitter = new vscode.EventEmitter<ArenaStartedParams>();
  private readonly arenaStreamEmitter = new vscode.EventEmitter<ArenaStreamParams>();
  private readonly arenaContestantEmitter = new vscode.EventEmitter<ArenaContestantParams>();
  private readonly arenaMergeEmitter = new vscode.EventEmitter<ArenaMergeParams>();
  /** The last `smartRouter/status` of each component (e.g. `embeddings`) from the current server. */
  readonly componentStatus = new Map<string, ComponentStatusParams>();

  /** Fires on every state change; `running` again after each (re)start. */
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onRouted = this.routedEmitter.event;
  readonly onStream = this.streamEmitter.event;
  readonly onBudgetChanged = this.budgetEmitter.event;
  readonly onBudgetAlert = this.budgetAlertEmitter.event;
  readonly onStatus = this.statusEmitter.event;
  readonly onArenaStarted = this.arenaStartedEmitter.event;
  readonly onArenaStream = this.arenaStreamEmitter.event;
  readonly onArenaContestant = this.arenaContestantEmitter.event;
  readonly onArenaMerge = this.arenaMergeEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly channel: vscode.LogOutputChannel,
  ) {
    this.disposables.push(this.stateEmitter, this.routedEmitter, this.streamEmitter, this.budgetEmitter);
    this.disposables.push(this.budgetAlertEmitter, this.statusEmitter);
    this.disposables.push(this.arenaStartedEmitter, this.arenaStreamEmitter, this.arenaContestantEmitter);
    this.disposables.push(this.arenaMergeEmitter);
  }

  get state(): ServerState {
    return this.current;
  }

  /** The current client, if one is running or starting. */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  /** Start the server (no-op if it runs). Resolves when it runs or has failed. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      if (this.client === undefined) {
        await this.doStart();
      }
    });
  }

  /** Stop the server and start it again, finding Python anew. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      this.channel.info('Restarting the Smart Router server.');
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  /**
   * The running client once any pending start (ours, or the client's own restart after a
   * crash) has settled; undefined if the server is not running.
   */
  async getClient(): Promise<LanguageClient | undefined> {
    await this.queue;
    if (this.client !== undefined && this.current.state === 'starting') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Timing.SERVER_START_WAIT_MS);
        const listener = this.onDidChangeState((s) => {
          if (s.state !== 'starting') {
            done();
          }
        });
        function done(): void {
          clearTimeout(timer);
          listener.dispose();
          resolve();
        }
      });
    }
    return this.client !== undefined && this.current.state === 'running' ? this.client : undefined;
  }

  /** React to a `smartRouter.*` change: restart for a new interpreter, else notify the server. */
  async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (needsRestart(e)) {
      await this.restart();
      return;
    }
    const client = this.client;
    if (client === undefined || !client.isRunning()) {
      return;
    }
    try {
      await client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { [Extension.CONFIG_SECTION]: readSettings() },
      });
      this.channel.debug('Sent the changed settings to the server.');
    } catch (error) {
      this.channel.error(`Could not send the changed settings to the server: ${describeError(error)}`);
    }
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private setState(state: ServerState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private async doStart(): Promise<void> {
    this.setState({ state: 'starting' });
    const settings = readSettings();
    const extensionVersion = versionOf(this.context);
    const { choice, results } = await findPython({
      pythonPath: configuredPythonPath(settings),
      venvDir: privateVenvDir(this.context),
      extensionVersion,
    });
    for (const { candidate, outcome } of results) {
      this.channel.debug(
        `Python candidate ${candidate.command} (${candidate.source}): ` +
          (outcome.ok
            ? `Python ${formatVersion(outcome.info.version)}, server ${outcome.info.sidecar ?? 'not installed'}`
            : outcome.error),
      );
    }
    if (!choice.ok) {
      this.channel.error(choice.problem.message);
      this.setState({ state: 'failed', message: choice.problem.message, problem: choice.problem });
      return;
    }
    this.channel.info(
      `Starting the server: ${choice.command} -m ${Python.MODULE} ` +
        `(Python ${formatVersion(choice.info.version)}, smart-router ${choice.info.sidecar ?? '?'}).`,
    );
    const client = this.createClient(choice.command);
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      const message = `The Smart Router server did not start: ${describeError(error)}. See the output for details.`;
      this.channel.error(message);
      this.disposeClientListeners();
      this.client = undefined;
      await client.dispose(Timing.SERVER_STOP_TIMEOUT_MS).catch(() => undefined);
      this.setState({ state: 'failed', message });
      return;
    }
    if (this.current.state !== 'running') {
      this.setState({ state: 'running' });
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    if (client === undefined) {
      return;
    }
    try {
      this.disposeClientListeners();
      if (client.needsStop()) {
        await client.stop(Timing.SERVER_STOP_TIMEOUT_MS);
      }
    } catch (error) {
      this.channel.warn(`Stopping the server: ${describeError(error)}`);
    } finally {
      this.client = undefined;
      await client.dispose().catch(() => undefined);
      this.setState({ state: 'stopped' });
    }
  }

  private disposeClientListeners(): void {
    for (const d of this.clientDisposables.splice(0)) {
      d.dispose();
    }
  }

  private createClient(python: string): LanguageClient {
    const serverOptions: ServerOptions = {
      command: python,
      args: ['-m', Python.MODULE],
      transport: TransportKind.stdio,
      options: { env: { ...process.env } },
    };
    // Delegate to the client's default handler (restart after a crash, give up after 4 in
    // 3 minutes) and log what happens.
    const errorHandler = new DelegatingErrorHandler({
      error: (error: Error, count: number | undefined) => {
        this.channel.error(`Connection to the server: ${error.message} (count ${count ?? 0})`);
      },
      closed: (result: CloseHandlerResult): CloseHandlerResult => {
        if (this.client?.clientOptions.errorHandler !== errorHandler) {
          // A client this manager already let go of (stopped or failed to start).
          return { ...result, handled: true };
        }
        if (result.action === CloseAction.Restart) {
          this.channel.warn('The Smart Router server stopped unexpectedly; restarting it.');
          this.setState({ state: 'starting' });
          return result;
        }
        const message =
          'The Smart Router server stopped unexpectedly several times and was not restarted. ' +
          'See the output for the cause, then run Smart Router: Restart Server.';
        this.channel.error(message);
        this.setState({ state: 'failed', message });
        // This extension reports it (with actions); the client need not.
        return { ...result, handled: true };
      },
    });
    const clientOptions: LanguageClientOptions = {
      // The server may want document sync later: every saved or unsaved document.
      documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
      // The server's stderr and the client's traces land here: never let a key through.
      outputChannel: redactingChannel(this.channel),
      traceOutputChannel: redactingChannel(this.channel),
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // A function: the client's own crash restarts then send the current settings too.
      initializationOptions: () => ({ settings: readSettings() }),
      errorHandler,
      stdioOptions: {
        stdout: (input, channel) => {
          readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (line) => {
            channel.info(line);
          });
        },
        // Python logging goes to stderr: keep its levels instead of logging it all as errors.
        stderr: (input, channel) => {
          const lines = new ServerLogLines();
          readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (line) => {
            const { level, text } = lines.classify(line);
            channel[level](text);
          });
        },
      },
    };
    this.componentStatus.clear(); // a new server reports afresh
    const client = new LanguageClient(Extension.CLIENT_ID, Extension.NAME, serverOptions, clientOptions);
    errorHandler.delegate = client.createDefaultErrorHandler();

    this.clientDisposables.push(
      client.onNotification(Notifications.ROUTED, (p: RoutedParams) => this.routedEmitter.fire(p)),
      client.onNotification(Notifications.STREAM, (p: StreamParams) => this.streamEmitter.fire(p)),
      client.onNotification(Notifications.BUDGET_CHANGED, (p: BudgetStatus) => this.budgetEmitter.fire(p)),
      client.onNotification(Notifications.BUDGET_ALERT, (p: BudgetAlertParams) => this.budgetAlertEmitter.fire(p)),
      client.onNotification(Notifications.ARENA_STARTED, (p: ArenaStartedParams) => this.arenaStartedEmitter.fire(p)),
      client.onNotification(Notifications.ARENA_STREAM, (p: ArenaStreamParams) => this.arenaStreamEmitter.fire(p)),
      client.onNotification(Notifications.ARENA_CONTESTANT, (p: ArenaContestantParams) =>
        this.arenaContestantEmitter.fire(p),
      ),
      client.onNotification(Notifications.ARENA_MERGE, (p: ArenaMergeParams) => this.arenaMergeEmitter.fire(p)),
      client.onNotification(Notifications.STATUS, (p: ComponentStatusParams) => {
        this.componentStatus.set(p.component, p);
        this.statusEmitter.fire(p);
        // e.g. "embeddings: missing: ... install ..." — the only place the install hint shows in full
        const line = `${p.component}: ${p.state}${p.detail ? `: ${p.detail}` : ''}`;
        if (p.state === 'missing' || p.state === 'failed') {
          this.channel.warn(line);
        } else {
          this.channel.info(line);
        }
      }),
      client.onDidChangeState((e) => {
        if (this.client !== client) {
          return;
        }
        if (e.newState === State.Running) {
          this.channel.info('The Smart Router server is running.');
          this.setState({ state: 'running' });
        } else if (e.newState === State.Starting) {
          this.setState({ state: 'starting' });
        }
      }),
    );
    return client;
  }
}
