/**
 * `smartRouter.codeAction` (the light bulb's "Explain / Fix / Write tests / Refactor / Document with
 * Smart Router", or **Smart Router: Act on Selection…** from the palette), and the edit preview.
 *
 * The action asks in the chat panel with the intent preset and the editor's context. Explain ends
 * there. For Fix, Refactor, Document and Write tests the answer's code becomes an edit
 * (common/codeEdit.ts) shown as a diff of the file against a read-only virtual copy with the edit
 * made; **Apply** (notification button or the diff's title bar) makes it with a WorkspaceEdit on the
 * original range, **Discard** closes the diff. Apply first checks the file did not change since the
 * proposal; if it did, it says so and offers to reapply the edit to the current text.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import {
  ACTION_TITLES,
  EDIT_INTENTS,
  applyPlan,
  buildPrompt,
  extractCode,
  parseCodeActionArgs,
  planEdit,
  relocate,
  type CodeActionArgs,
  type PresetIntent,
  type TextEditPlan,
} from '../common/codeEdit';
import { Commands, Extension } from '../common/constants';
import type { AskResult } from '../common/protocol';
import type { AskController } from './ask';

const APPLY = 'Apply';
const DISCARD = 'Discard';
const REAPPLY = 'Reapply to Current Text';

/** An edit waiting for Apply or Discard. */
interface Proposal {
  previewUri: vscode.Uri;
  documentUri: vscode.Uri;
  intent: PresetIntent;
  /** The whole document when the edit was planned, and what the edit replaces in it. */
  baseText: string;
  oldCode: string;
  code: string;
  plan: TextEditPlan;
  proposedText: string;
}

/** What the command resolves with (for tests and other extensions). */
export interface CodeActionOutcome {
  intent: PresetIntent;
  result: AskResult | undefined;
  /** The diff's right side, while an edit waits for Apply or Discard. */
  preview: string | undefined;
}

export interface PendingEdit {
  preview: string;
  document: string;
  intent: PresetIntent;
  proposedText: string;
}

export class CodeActionController implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, Proposal>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private counter = 0;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly asks: AskController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(Extension.PROPOSAL_SCHEME, this),
      vscode.commands.registerCommand(Commands.CODE_ACTION, (raw?: unknown) => this.run(raw)),
      vscode.commands.registerCommand(Commands.APPLY_EDIT, (uri?: unknown) => this.apply(this.find(uri))),
      vscode.commands.registerCommand(Commands.DISCARD_EDIT, (uri?: unknown) => this.discard(this.find(uri))),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString())?.proposedText ?? '';
  }

  /** Edits waiting for Apply or Discard, oldest first. */
  pending(): PendingEdit[] {
    return [...this.proposals.values()].map((p) => ({
      preview: p.previewUri.toString(),
      document: p.documentUri.toString(),
      intent: p.intent,
      proposedText: p.proposedText,
    }));
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
    this.proposals.clear();
  }

  /** Run a code action: ask in the chat, then preview the answer's edit when the intent makes one. */
  async run(raw?: unknown): Promise<CodeActionOutcome | undefined> {
    const args = raw === undefined ? await this.argsFromEditor() : parseCodeActionArgs(raw);
    if (args === undefined) {
      if (raw !== undefined) {
        this.log.warn(`smartRouter.codeAction: ignored an argument it cannot read: ${JSON.stringify(raw)}`);
      }
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri, true));
    const range = document.validateRange(
      new vscode.Range(args.range.start.line, args.range.start.character, args.range.end.line, args.range.end.character),
    );
    const code = document.getText(range);
    if (code.trim() === '') {
      void vscode.window.showWarningMessage('Smart Router: select the code to work on first.');
      return { intent: args.intent, result: undefined, preview: undefined };
    }
    const baseText = document.getText();
    const languageId = args.languageId ?? document.languageId;
    const fileName = path.basename(document.uri.path) || document.uri.toString();
    const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
    const prompt = buildPrompt({
      intent: args.intent,
      languageId,
      fileName,
      startLine: range.start.line,
      endLine: range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line,
      code,
      diagnostics: args.diagnostics,
    });
    const result = await this.asks.ask(prompt, null, {
      intent: args.intent,
      context: {
        languageId,
        filePath: document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString(),
        selection: code,
        diagnostics: args.diagnostics,
        workspace: folder?.uri.fsPath ?? null,
      },
    });
    if (result === undefined || !EDIT_INTENTS.has(args.intent)) {
      return { intent: args.intent, result, preview: undefined };
    }
    const answerCode = extractCode(result.text, languageId);
    if (answerCode === undefined) {
      void vscode.window.showWarningMessage(
        `Smart Router: the answer has no code to apply to ${fileName}; read it in the chat.`,
      );
      return { intent: args.intent, result, preview: undefined };
    }
    const plan = planEdit(args.intent, baseText, document.offsetAt(range.start), document.offsetAt(range.end), answerCode);
    const proposal: Proposal = {
      previewUri: vscode.Uri.from({
        scheme: Extension.PROPOSAL_SCHEME,
        path: document.uri.path || `/${fileName}`,
        query: `edit=${++this.counter}`,
      }),
      documentUri: document.uri,
      intent: args.intent,
      baseText,
      oldCode: code,
      code: answerCode,
      plan,
      proposedText: applyPlan(baseText, plan),
    };
    this.proposals.set(proposal.previewUri.toString(), proposal);
    await this.updateContextKey();
    await this.showPreview(proposal, languageId);
    return { intent: args.intent, result, preview: proposal.previewUri.toString() };
  }

  /** From the palette: the active editor's selection (or the diagnostics at the cursor) and a pick. */
  private async argsFromEditor(): Promise<CodeActionArgs | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined) {
      void vscode.window.showWarningMessage('Smart Router: open a file and select code first.');
      return undefined;
    }
    let range: vscode.Range = editor.selection;
    const diagnostics = vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((d) => d.range.intersection(editor.selection) !== undefined);
    if (range.isEmpty) {
      if (diagnostics.length === 0) {
        void vscode.window.showWarningMessage('Smart Router: select the code to work on first.');
        return undefined;
      }
      const first = Math.min(...diagnostics.map((d) => d.range.start.line));
      const last = Math.max(...diagnostics.map((d) => d.range.end.line));
      range = new vscode.Range(first, 0, last, editor.document.lineAt(last).range.end.character);
    }
    const order: PresetIntent[] = ['debugging', 'code_explanation', 'refactoring', 'documentation', 'test_generation'];
    const picked = await vscode.window.showQuickPick(
      order.map((intent) => ({ label: `${ACTION_TITLES[intent]} with Smart Router`, intent })),
      { title: 'Smart Router', placeHolder: 'What should Smart Router do with the selected code?' },
    );
    if (picked === undefined) {
      return undefined;
    }
    return {
      intent: picked.intent,
      uri: editor.document.uri.toString(),
      range: {
        start: { line: range.start.line, character: range.start.character },
        end: { line: range.end.line, character: range.end.character },
      },
      languageId: editor.document.languageId,
      diagnostics: diagnostics.map((d) => `line ${d.range.start.line + 1}: ${d.message}`),
    };
  }

  private async showPreview(proposal: Proposal, languageId: string): Promise<void> {
    const name = path.basename(proposal.documentUri.path);
    const title = `${name} ↔ ${ACTION_TITLES[proposal.intent]} by Smart Router (preview)`;
    const preview = await vscode.workspace.openTextDocument(proposal.previewUri);
    if (preview.languageId !== languageId) {
      await vscode.languages.setTextDocumentLanguage(preview, languageId).then(undefined, () => undefined);
    }
    await vscode.commands.executeCommand('vscode.diff', proposal.documentUri, proposal.previewUri, title, {
      preview: false,
      viewColumn: vscode.ViewColumn.One,
    });
    this.offer(proposal, `Smart Router: apply the ${ACTION_TITLES[proposal.intent].toLowerCase()} to ${name}?`);
  }

  /** The notification with Apply and Discard (not awaited: the diff's title bar has both too). */
  private offer(proposal: Proposal, message: string): void {
    void vscode.window.showInformationMessage(message, APPLY, DISCARD).then(async (choice) => {
      if (!this.proposals.has(proposal.previewUri.toString())) {
        return; // already applied or discarded from the title bar
      }
      if (choice === APPLY) {
        await this.apply(proposal);
      } else if (choice === DISCARD) {
        await this.discard(proposal);
      }
    });
  }

  /** The proposal a command means: the given preview URI, the diff on screen, else the newest. */
  private find(uri: unknown): Proposal | undefined {
    const key =
      uri instanceof vscode.Uri ? uri.toString() : typeof uri === 'string' ? uri : activePreview()?.toString();
    if (key !== undefined && this.proposals.has(key)) {
      return this.proposals.get(key);
    }
    return [...this.proposals.values()].at(-1);
  }

  /** Make the edit, if the file is as it was; resolves true when applied. */
  async apply(proposal: Proposal | undefined): Promise<boolean> {
    if (proposal === undefined) {
      void vscode.window.showInformationMessage('Smart Router: there is no proposed edit to apply.');
      return false;
    }
    const document = await vscode.workspace.openTextDocument(proposal.documentUri);
    const name = path.basename(document.uri.path);
    if (document.getText() !== proposal.baseText) {
      this.log.info(`Edit for ${document.uri.toString()}: the file changed since the proposal.`);
      // not awaited: the command answers at once, the proposal waits for the choice
      void vscode.window
        .showWarningMessage(
          `Smart Router: ${name} changed after the edit was proposed, so it was not applied.`,
          REAPPLY,
          DISCARD,
        )
        .then(async (choice) => {
          if (!this.proposals.has(proposal.previewUri.toString())) {
            return;
          }
          if (choice === REAPPLY) {
            await this.reapply(proposal, document);
          } else if (choice === DISCARD) {
            await this.discard(proposal);
          }
        });
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    const range = new vscode.Range(document.positionAt(proposal.plan.start), document.positionAt(proposal.plan.end));
    edit.replace(document.uri, range, proposal.plan.text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Smart Router: VS Code refused the edit to ${name} (is it read-only?).`);
      return false;
    }
    this.log.info(`Applied the ${proposal.intent} edit to ${document.uri.toString()}.`);
    await this.forget(proposal);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const start = document.positionAt(proposal.plan.start);
    const end = document.positionAt(proposal.plan.start + proposal.plan.text.length);
    editor.selection = new vscode.Selection(start, end);
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }

  /** Plan the same code again against the file as it is now, and show the new diff. */
  private async reapply(proposal: Proposal, document: vscode.TextDocument): Promise<void> {
    const text = document.getText();
    const name = path.basename(document.uri.path);
    let plan: TextEditPlan;
    if (proposal.intent === 'test_generation') {
      plan = planEdit(proposal.intent, text, text.length, text.length, proposal.code);
    } else {
      const at = relocate(text, proposal.oldCode, proposal.plan.start);
      if (at === undefined) {
        void vscode.window.showWarningMessage(
          `Smart Router: the code the edit replaces is no longer in ${name}; the answer is still in the chat.`,
        );
        await this.discard(proposal);
        return;
      }
      plan = planEdit(proposal.intent, text, at, at + proposal.oldCode.length, proposal.code);
    }
    proposal.baseText = text;
    proposal.plan = plan;
    proposal.proposedText = applyPlan(text, plan);
    this.changed.fire(proposal.previewUri);
    this.offer(proposal, `Smart Router: the edit now fits the current ${name}. Apply it?`);
  }

  async discard(proposal: Proposal | undefined): Promise<void> {
    if (proposal !== undefined) {
      this.log.info(`Discarded the ${proposal.intent} edit to ${proposal.documentUri.toString()}.`);
      await this.forget(proposal);
    }
  }

  /** Close the diff and drop the proposal. */
  private async forget(proposal: Proposal): Promise<void> {
    this.proposals.delete(proposal.previewUri.toString());
    const key = proposal.previewUri.toString();
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === key);
    if (tabs.length > 0) {
      await vscode.window.tabGroups.close(tabs);
    }
    await this.updateContextKey();
  }

  private async updateContextKey(): Promise<void> {
    await vscode.commands.executeCommand('setContext', Extension.PROPOSAL_CONTEXT_KEY, this.proposals.size > 0);
  }
}

/** The right side of the diff in the active tab, when it is a proposal. */
function activePreview(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff && input.modified.scheme === Extension.PROPOSAL_SCHEME
    ? input.modified
    : undefined;
}
