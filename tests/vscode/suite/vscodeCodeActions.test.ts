// (Named to sort after smartRouter.test.ts, whose first test expects a fresh ledger: the suite runs files in name order.)
// The inline code actions in the real extension host: the light bulb's actions come from the sidecar,
// Fix asks through the fake provider, its answer is previewed as a diff, applied or discarded.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, fake, waitUntil, withTimeout, type SmartRouterApi } from './helpers';

const SOURCE = 'def mean(xs):\n    return sum(xs) / len(xs)\n\n\nprint(mean([]))\n';
const FIXED_BODY = 'def mean(xs):\n    if not xs:\n        return 0.0\n    return sum(xs) / len(xs)';
const REPLY = `The list can be empty.\n\n\`\`\`python\n${FIXED_BODY}\n\`\`\`\n\nAn empty list now gives 0.0.`;
const TITLES = [
  'Fix with Smart Router',
  'Explain with Smart Router',
  'Refactor with Smart Router',
  'Document with Smart Router',
  'Write tests with Smart Router',
];

interface Outcome {
  intent: string;
  preview: string | undefined;
  result: { text: string } | undefined;
}

async function ours(uri: vscode.Uri, range: vscode.Range, want: number): Promise<vscode.CodeAction[]> {
  // the sidecar learns of the file through didOpen: poll until its actions are there
  return waitUntil(
    async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
      const mine = (all ?? []).filter((a) => a.command?.command === 'smartRouter.codeAction');
      return mine.length >= want ? mine : undefined;
    },
    20_000,
    `${want} Smart Router code actions at ${range.start.line}:${range.start.character}`,
  );
}

function diffTabs(preview: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === preview);
}

suite('Smart Router code actions', () => {
  let sr: SmartRouterApi;
  let file: vscode.Uri;
  let doc: vscode.TextDocument;
  const diagnostics = vscode.languages.createDiagnosticCollection('sr-e2e');

  suiteSetup(async function () {
    this.timeout(120_000);
    sr = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder');
    file = vscode.Uri.file(path.join(folder.uri.fsPath, 'calc.py'));
    fs.writeFileSync(file.fsPath, SOURCE);
    doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
  });

  suiteTeardown(async () => {
    diagnostics.dispose();
    await fake('DELETE', '/__fake__/scenarios').catch(() => undefined);
  });

  test('a selection offers the five actions through vscode.executeCodeActionProvider', async () => {
    const actions = await ours(file, new vscode.Range(0, 0, 1, 28), 5);
    assert.deepStrictEqual(actions.map((a) => a.title), TITLES);
    assert.ok(actions.every((a) => !a.isPreferred), 'nothing preferred without a diagnostic');
    const args = actions[2].command?.arguments?.[0] as { intent: string; languageId: string };
    assert.strictEqual(args.intent, 'refactoring');
    assert.strictEqual(args.languageId, 'python');
    assert.ok(actions[0].kind && vscode.CodeActionKind.QuickFix.contains(actions[0].kind), `Fix kind ${actions[0].kind?.value}`);
    assert.ok(actions[2].kind && vscode.CodeActionKind.RefactorRewrite.contains(actions[2].kind), 'Refactor kind');
  });

  test('a diagnostic under the cursor offers a preferred Fix for its line, and nothing elsewhere', async () => {
    const error = new vscode.Diagnostic(new vscode.Range(1, 11, 1, 28), 'ZeroDivisionError: division by zero');
    diagnostics.set(file, [error]);
    try {
      const actions = await ours(file, new vscode.Range(1, 14, 1, 14), 2);
      assert.deepStrictEqual(actions.map((a) => a.title), TITLES.slice(0, 2));
      assert.strictEqual(actions[0].isPreferred, true);
      const args = actions[0].command?.arguments?.[0] as { range: unknown; diagnostics: string[] };
      assert.deepStrictEqual(args.diagnostics, ['line 2: ZeroDivisionError: division by zero']);
      assert.deepStrictEqual(args.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 28 } });
      const none = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        file,
        new vscode.Range(4, 2, 4, 2),
      );
      assert.strictEqual((none ?? []).filter((a) => a.command?.command === 'smartRouter.codeAction').length, 0);
    } finally {
      diagnostics.clear();
    }
  });

  test('Fix asks with the intent preset, previews the edit as a diff, and Apply changes the file', async function () {
    this.timeout(90_000);
    await fake('PUT', '/__fake__/scenarios/gpt-4o-mini', { reply: REPLY });
    const [fix] = await ours(file, new vscode.Range(0, 0, 2, 0), 5);
    const before = sr.transcript().length;
    const outcome = await withTimeout(
      vscode.commands.executeCommand<Outcome>(fix.command!.command, ...(fix.command!.arguments ?? [])),
      60_000,
      'the Fix code action',
    );
    assert.ok(outcome?.result, `no answer; chat: ${JSON.stringify(sr.transcript().slice(before)).slice(0, 600)}`);
    assert.ok(outcome.preview, 'no preview of the edit');
    const entry = sr.transcript().at(-1);
    assert.match(entry?.prompt ?? '', /^Fix the bugs in this python code from calc\.py \(lines 1-2\)/);
    assert.strictEqual(sr.pendingEdits().length, 1);
    const expected = SOURCE.replace('def mean(xs):\n    return sum(xs) / len(xs)\n', FIXED_BODY + '\n');
    assert.strictEqual(sr.pendingEdits()[0].proposedText, expected);
    await waitUntil(() => diffTabs(outcome.preview!).length === 1, 10_000, 'the diff tab of the proposal');
    assert.strictEqual(doc.getText(), SOURCE, 'nothing changes before Apply');

    const applied = await withTimeout(
      vscode.commands.executeCommand<boolean>('smartRouter.applyEdit', outcome.preview),
      10_000,
      'smartRouter.applyEdit',
    );
    assert.strictEqual(applied, true);
    assert.strictEqual(doc.getText(), expected);
    assert.strictEqual(sr.pendingEdits().length, 0);
    await waitUntil(() => diffTabs(outcome.preview!).length === 0, 10_000, 'the diff tab to close');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Apply refuses when the file changed meanwhile, and Discard closes the diff', async function () {
    this.timeout(90_000);
    await fake('PUT', '/__fake__/scenarios/gpt-4o-mini', { reply: REPLY });
    // back to the original text through the editor (a write on disk waits for the file watcher)
    const reset = new vscode.WorkspaceEdit();
    reset.replace(file, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), SOURCE);
    assert.ok(await vscode.workspace.applyEdit(reset));
    await doc.save();
    assert.strictEqual(doc.getText(), SOURCE);
    const [, , refactor] = await ours(file, new vscode.Range(0, 0, 2, 0), 5);
    const outcome = await withTimeout(
      vscode.commands.executeCommand<Outcome>(refactor.command!.command, ...(refactor.command!.arguments ?? [])),
      60_000,
      'the Refactor code action',
    );
    assert.ok(outcome?.preview, 'no preview');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(file, new vscode.Position(0, 0), '# edited meanwhile\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const changed = doc.getText();
    const applied = await withTimeout(
      vscode.commands.executeCommand<boolean>('smartRouter.applyEdit', outcome.preview),
      10_000,
      'smartRouter.applyEdit on a changed file',
    );
    assert.strictEqual(applied, false, 'a stale edit must not be applied');
    assert.strictEqual(doc.getText(), changed, 'the user\'s change is kept');
    assert.strictEqual(sr.pendingEdits().length, 1, 'the proposal waits for Reapply or Discard');

    await vscode.commands.executeCommand('smartRouter.discardEdit', outcome.preview);
    assert.strictEqual(sr.pendingEdits().length, 0);
    await waitUntil(() => diffTabs(outcome.preview!).length === 0, 10_000, 'the diff tab to close');
    assert.strictEqual(doc.getText(), changed);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
