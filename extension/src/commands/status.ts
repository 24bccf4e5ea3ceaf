/**
 * `Smart Router: Show Status`: a quick pick listing the embedding model's state and each
 * provider's and model's health (common/statusView.ts). Choosing a provider without a key offers
 * to set one; the list refreshes when the server reports a status change while it is open.
 */
import * as vscode from 'vscode';
import { Commands, Requests } from '../common/constants';
import { describeError } from '../common/log';
import type { ServerManager } from '../common/server';
import { statusRows, type StatusRow } from '../common/statusView';

interface RowItem extends vscode.QuickPickItem {
  row: StatusRow;
}

function toItems(rows: StatusRow[]): RowItem[] {
  return rows.map((row) =>
    row.kind === 'separator'
      ? { label: row.label, kind: vscode.QuickPickItemKind.Separator, row }
      : { label: row.label, description: row.description, detail: row.detail, row },
  );
}

/** The rows as they are now (the server's `smartRouter/models`, or why it could not answer). */
export async function currentStatus(server: ServerManager): Promise<StatusRow[]> {
  const client = await server.getClient();
  if (client === undefined) {
    const state = server.state;
    return [
      {
        kind: 'item',
        label: '$(error) Server not running',
        description: state.state === 'failed' ? state.message : 'Run Smart Router: Restart Server.',
      },
    ];
  }
  try {
    return statusRows(await client.sendRequest<unknown>(Requests.MODELS, {}), server.componentStatus);
  } catch (error) {
    return [{ kind: 'item', label: '$(error) The server did not answer', description: describeError(error) }];
  }
}

export function registerStatusCommand(server: ServerManager): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.SHOW_STATUS, async () => {
    const pick = vscode.window.createQuickPick<RowItem>();
    pick.title = 'Smart Router: Status';
    pick.placeholder = 'Providers, models and the embedding model, as the server sees them now';
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.busy = true;
    const refresh = async (): Promise<void> => {
      pick.items = toItems(await currentStatus(server));
      pick.busy = false;
    };
    const subscriptions = [
      server.onStatus(() => void refresh()),
      pick.onDidAccept(() => {
        const provider = pick.selectedItems[0]?.row.setKeyFor;
        if (provider !== undefined) {
          pick.hide();
          void vscode.commands.executeCommand(Commands.SET_API_KEY, provider);
        }
      }),
      pick.onDidHide(() => {
        for (const d of subscriptions) {
          d.dispose();
        }
        pick.dispose();
      }),
    ];
    pick.show();
    await refresh();
  });
}
