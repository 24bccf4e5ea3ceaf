/**
 * The questions `Smart Router: Arena` asks: the battle group (with blind mode on its eye button)
 * or the models, and what the editor adds as context (the selection and its diagnostics).
 */
import * as vscode from 'vscode';
import { groupChoices, modelsLabel } from '../common/arenaChoices';
import { Requests } from '../common/constants';
import type { AskEditorContext, ModelsResult } from '../common/protocol';
import { readSettings, type ServerManager } from '../common/server';

const BLIND_KEY = 'smartRouter.arena.blind';

/** The group quick pick, with a button that turns blind mode on and off (remembered in `globalState`). */
export async function pickGroup(
server: ServerManager,
globalState: vscode.Memento,
): Promise<{ group?: string; models?: string[]; label: string; blind: boolean } | undefined> {
  interface Item extends vscode.QuickPickItem {
    group?: string;
    chooseModels?: boolean;
  }
  const items: Item[] = groupChoices(readSettings().arenaGroups).map((g) => ({ ...g }));
  items.push({ label: 'Choose models…', description: 'two or more models you have a key for', chooseModels: true });
  let blind = globalState.get<boolean>(BLIND_KEY, false);
  const quickPick = vscode.window.createQuickPick<Item>();
  const blindButton = (): vscode.QuickInputButton => ({
    iconPath: new vscode.ThemeIcon(blind ? 'eye-closed' : 'eye'),
    tooltip: blind ? 'Blind: model names hidden until you vote (click to show them)' : 'Model names shown (click for blind mode)',
  });
  const title = (): string => `Smart Router: Arena: battle group${blind ? ' (blind: names hidden until you vote)' : ''}`;
  quickPick.items = items;
  quickPick.title = title();
  quickPick.placeholder = 'Which models battle? (the eye button: blind mode)';
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.ignoreFocusOut = true;
  quickPick.buttons = [blindButton()];
  const chosen = await new Promise<Item | undefined>((resolve) => {
    quickPick.onDidTriggerButton(() => {
      blind = !blind;
      quickPick.buttons = [blindButton()];
      quickPick.title = title();
    });
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  if (chosen === undefined) {
    return undefined;
  }
  await globalState.update(BLIND_KEY, blind);
  if (chosen.chooseModels !== true) {
    return { group: chosen.group, label: chosen.label, blind };
  }
  const models = await pickModels(server);
  return models === undefined ? undefined : { models, label: modelsLabel(models), blind };
}

async function pickModels(server: ServerManager): Promise<string[] | undefined> {
  const client = await server.getClient();
  if (client === undefined) {
    void vscode.window.showErrorMessage('Smart Router: the server is not running.');
    return undefined;
  }
  const { models } = await client.sendRequest<ModelsResult>(Requests.MODELS, {});
  const usable = models.filter((m) => m.keyAvailable || m.local);
  const picked = await vscode.window.showQuickPick(
    usable.map((m) => ({ label: m.id, description: `${m.provider} · ${m.tier}` })),
    { title: 'Smart Router: Arena: models', placeHolder: 'Pick two or more models', canPickMany: true, ignoreFocusOut: true },
  );
  if (picked === undefined) {
    return undefined;
  }
  if (picked.length < 2) {
    void vscode.window.showWarningMessage('Smart Router: an arena needs two or more models.');
    return undefined;
  }
  return picked.map((p) => p.label);
}

export function workspacePath(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function editorContext(editor: vscode.TextEditor): AskEditorContext {
  return {
    languageId: editor.document.languageId,
    filePath: editor.document.uri.scheme === 'file' ? editor.document.uri.fsPath : null,
    selection: editor.document.getText(editor.selection),
    diagnostics: vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((d) => d.range.intersection(editor.selection) !== undefined)
      .map((d) => `line ${d.range.start.line + 1}: ${d.message}`),
    workspace: workspacePath() ?? null,
  };
}
