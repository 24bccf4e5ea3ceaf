/**
 * `Smart Router: Restart Server`, `Smart Router: Show Output`, and the fix-it actions offered
 * when no usable Python runs the server: **Install Server** (a private virtual environment in
 * the extension's global storage, with the server installed from the extension's own folder)
 * and **Set Python Path**.
 */
import * as vscode from 'vscode';
import { Commands, Extension } from '../common/constants';
import { describeError } from '../common/log';
import { CancelledError, installSidecar, type PythonProblem } from '../common/python';
import { privateVenvDir, type ServerManager } from '../common/server';

const INSTALL = 'Install Server';
const SET_PYTHON_PATH = 'Set Python Path';
const SHOW_OUTPUT = 'Show Output';
const RESTART = 'Restart Server';

export class ServerCommands implements vscode.Disposable {
  private installing = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: ServerManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand(Commands.RESTART_SERVER, () => this.server.restart()),
      vscode.commands.registerCommand(Commands.SHOW_OUTPUT, () => this.log.show(true)),
      server.onDidChangeState((s) => {
        if (s.state === 'failed') {
          void this.reportFailure(s.message, s.problem);
        }
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  /** The error notification with the actions that can fix it. */
  private async reportFailure(message: string, problem: PythonProblem | undefined): Promise<void> {
    const actions: string[] = [];
    if (problem?.installWith !== undefined) {
      actions.push(INSTALL);
    }
    if (problem !== undefined) {
      actions.push(SET_PYTHON_PATH);
    } else {
      actions.push(RESTART);
    }
    actions.push(SHOW_OUTPUT);
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === INSTALL && problem?.installWith !== undefined) {
      await this.install(problem.installWith);
    } else if (choice === SET_PYTHON_PATH) {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${Extension.CONFIG_SECTION}.pythonPath`);
    } else if (choice === RESTART) {
      await this.server.restart();
    } else if (choice === SHOW_OUTPUT) {
      this.log.show(true);
    }
  }

  /** Create the private environment, install the server into it, and start the server. */
  private async install(basePython: string): Promise<void> {
    if (this.installing) {
      return;
    }
    this.installing = true;
    const venvDir = privateVenvDir(this.context);
    this.log.info(`Installing the Smart Router server into ${venvDir} (with ${basePython}).`);
    try {
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Smart Router',
          cancellable: true,
        },
        async (progress, token) => {
          await installSidecar({
            basePython,
            venvDir,
            extensionPath: this.context.extensionPath,
            onStep: (step) => {
              this.log.info(`${step}…`);
              progress.report({ message: `${step}…` });
            },
            onOutput: (line) => this.log.info(`[pip] ${line}`),
            onCancel: (kill) => {
              token.onCancellationRequested(kill);
            },
          });
        },
      );
      this.log.info('The Smart Router server is installed.');
      void vscode.window.showInformationMessage('Smart Router: the server is installed. Starting it.');
      await this.server.restart();
    } catch (error) {
      if (error instanceof CancelledError) {
        this.log.warn('Installing the server was cancelled.');
        return;
      }
      const message = `Smart Router could not install its server: ${describeError(error)}. See the output for details.`;
      this.log.error(message);
      const choice = await vscode.window.showErrorMessage(message, SHOW_OUTPUT, SET_PYTHON_PATH);
      if (choice === SHOW_OUTPUT) {
        this.log.show(true);
      } else if (choice === SET_PYTHON_PATH) {
        await vscode.commands.executeCommand(
          'workbench.action.openSettings',
          `${Extension.CONFIG_SECTION}.pythonPath`,
        );
      }
    } finally {
      this.installing = false;
    }
  }
}
