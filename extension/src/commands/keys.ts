/**
 * `Smart Router: Set API Key`.
 *
 * The key goes from a password input box straight into `smartRouter/setApiKey`; the server
 * puts it into the OS keyring. It is never logged, never shown, never written to settings.
 */
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { Commands, Requests } from '../common/constants';
import { providerSummaries } from '../common/format';
import { describeError } from '../common/log';
import type { ModelsResult, SetApiKeyParams, SetApiKeyResult } from '../common/protocol';
import type { ServerManager } from '../common/server';

interface ProviderItem extends vscode.QuickPickItem {
  provider: string;
}

function errorText(error: unknown): string {
  return error instanceof ResponseError ? error.message : describeError(error);
}

async function pickProvider(server: ServerManager): Promise<string | undefined> {
  const client = await server.getClient();
  if (client === undefined) {
    void vscode.window.showErrorMessage('Smart Router: the server is not running, so the providers are unknown.');
    return undefined;
  }
  let models: ModelsResult;
  try {
    models = await client.sendRequest<ModelsResult>(Requests.MODELS, {});
  } catch (error) {
    void vscode.window.showErrorMessage(`Smart Router: could not list the providers: ${errorText(error)}`);
    return undefined;
  }
  const providers = providerSummaries(models.models);
  if (providers.length === 0) {
    void vscode.window.showErrorMessage(
      'Smart Router: no provider needs a key. Add one under smartRouter.providers and smartRouter.models.',
    );
    return undefined;
  }
  const items: ProviderItem[] = providers.map((p) => ({
    label: p.provider,
    provider: p.provider,
    description: p.keyAvailable ? '$(key) key available' : 'no key yet',
    detail: p.models.join(', '),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Smart Router: Set API Key',
    placeHolder: 'Provider whose API key to store',
    ignoreFocusOut: true,
    matchOnDetail: true,
  });
  return picked?.provider;
}

export function registerKeyCommands(server: ServerManager, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      Commands.SET_API_KEY,
      async (providerArg?: unknown): Promise<SetApiKeyResult | undefined> => {
        const provider =
          typeof providerArg === 'string' && providerArg.trim() !== ''
            ? providerArg.trim()
            : await pickProvider(server);
        if (provider === undefined) {
          return undefined;
        }
        const apiKey = await vscode.window.showInputBox({
          title: `Smart Router: API key for ${provider}`,
          prompt: 'Stored in the OS keyring, never in settings or logs.',
          placeHolder: 'sk-...',
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() === '' ? 'Paste the API key.' : undefined),
        });
        if (apiKey === undefined) {
          return undefined;
        }
        const client = await server.getClient();
        if (client === undefined) {
          void vscode.window.showErrorMessage('Smart Router: the server is not running; the key was not stored.');
          return undefined;
        }
        const params: SetApiKeyParams = { provider, apiKey: apiKey.trim() };
        try {
          const result = await client.sendRequest<SetApiKeyResult>(Requests.SET_API_KEY, params);
          log.info(`Stored the API key for ${result.provider} (${result.backend}).`);
          void vscode.window.showInformationMessage(
            `Smart Router: the API key for ${result.provider} is stored (${result.backend}).`,
          );
          return result;
        } catch (error) {
          log.error(`Could not store the API key for ${provider}: ${errorText(error)}`);
          void vscode.window.showErrorMessage(
            `Smart Router: could not store the API key for ${provider}: ${errorText(error)}`,
          );
          return undefined;
        }
      },
    ),
  ];
}
