/**
 * The pure side of the inline code actions ("Explain / Fix / Write tests / Refactor / Document with
 * Smart Router"): the command's argument as the server sends it, the prompt for each intent, the
 * code taken from a Markdown answer, and the text edit that answer becomes.
 *
 * Fix, Refactor and Document replace the range the action was about (re-indented to sit where the
 * old code sat); Write tests appends the tests to the end of the same file, so the preview is one
 * diff of one file and the user moves them elsewhere if the project keeps tests apart.
 *
 * No `vscode` import: unit-tested in plain Node (tests/extension/codeEdit.test.ts).
 */

export type PresetIntent = 'code_explanation' | 'debugging' | 'test_generation' | 'refactoring' | 'documentation';

const INTENTS: readonly PresetIntent[] = [
  'debugging',
  'code_explanation',
  'refactoring',
  'documentation',
  'test_generation',
];

/** Intents whose answer is code to apply (Explain's answer stays in the chat). */
export const EDIT_INTENTS: ReadonlySet<PresetIntent> = new Set(['debugging', 'test_generation', 'refactoring', 'documentation']);

/** The user-facing name of each action. */
export const ACTION_TITLES: Readonly<Record<PresetIntent, string>> = {
  debugging: 'Fix',
  code_explanation: 'Explain',
  refactoring: 'Refactor',
  documentation: 'Document',
  test_generation: 'Write tests',
};

export interface WirePosition {
  line: number;
  character: number;
}

export interface WireRange {
  start: WirePosition;
  end: WirePosition;
}

/** The argument of `smartRouter.codeAction` (server/smart_router/code_actions.py). */
export interface CodeActionArgs {
  intent: PresetIntent;
  uri: string;
  range: WireRange;
  languageId: string | null;
  /** Messages of the diagnostics in range, e.g. `line 4: division by zero (pylint)`. */
  diagnostics: string[];
}

function isPosition(v: unknown): v is WirePosition {
  const p = v as Partial<WirePosition> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    (p.line ?? -1) >= 0 &&
    (p.character ?? -1) >= 0
  );
}

/** Validate the command's argument (it may come from anywhere: a keybinding, another extension). */
export function parseCodeActionArgs(raw: unknown): CodeActionArgs | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const a = raw as Record<string, unknown>;
  const range = a.range as Record<string, unknown> | null | undefined;
  if (
    !INTENTS.includes(a.intent as PresetIntent) ||
    typeof a.uri !== 'string' ||
    a.uri === '' ||
    typeof range !== 'object' ||
    range === null ||
    !isPosition(range.start) ||
    !isPosition(range.end)
  ) {
    return undefined;
  }
  return {
    intent: a.intent as PresetIntent,
    uri: a.uri,
    range: { start: { ...range.start }, end: { ...range.end } },
    languageId: typeof a.languageId === 'string' && a.languageId !== '' ? a.languageId : null,
    diagnostics: Array.isArray(a.diagnostics) ? a.diagnostics.filter((d): d is string => typeof d === 'string') : [],
  };
}

/** Fence tags that name each VS Code language id (the id itself always counts). */
const LANGUAGE_TAGS: Readonly<Record<string, readonly string[]>> = {
  python: ['py', 'python3', 'py3'],
  typescript: ['ts'],
  typescriptreact: ['tsx', 'typescript', 'ts'],
  javascript: ['js', 'node', 'mjs', 'cjs'],
  javascriptreact: ['jsx', 'javascript', 'js'],
  shellscript: ['sh', 'bash', 'shell', 'zsh'],
  csharp: ['cs', 'c#'],
  cpp: ['c++', 'cc', 'cxx', 'hpp'],
  go: ['golang'],
  rust: ['rs'],
  ruby: ['rb'],
  kotlin: ['kt', 'kts'],
  markdown: ['md'],
  yaml: ['yml'],
  powershell: ['ps1', 'pwsh'],
  objectivec: ['objc', 'objective-c'],
  fsharp: ['fs', 'f#'],
};

/** The fence tag to write code of a language with. */
export function fenceTag(languageId: string | null): string {
  if (languageId === null || languageId === 'plaintext') {
    return '';
  }
  return { typescriptreact: 'tsx', javascriptreact: 'jsx', shellscript: 'bash' }[languageId] ?? languageId;
}

function tagsOf(languageId: string | null): Set<string> {
  if (languageId === null) {
    return new Set();
  }
  return new Set([languageId.toLowerCase(), ...(LANGUAGE_TAGS[languageId] ?? [])]);
}

export interface CodeBlock {
  /** The info string's first word, lower case ('' when untagged). */
  lang: string;
  code: string;
}

/** The fenced code blocks of a Markdown text (``` or ~~~, an unclosed last block included). */
export function fencedBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { fence: string; indent: number; lang: string; lines: string[] } | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    if (open === undefined) {
      const m = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/.exec(line);
      if (m !== null) {
        open = { fence: m[2], indent: m[1].length, lang: m[3].toLowerCase(), lines: [] };
      }
      continue;
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (close !== null && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
      blocks.push({ lang: open.lang, code: open.lines.join('\n') });
      open = undefined;
      continue;
    }
    // content lines lose up to the opening fence's indentation (CommonMark)
    open.lines.push(line.replace(new RegExp(`^ {0,${open.indent}}`), ''));
  }
  if (open !== undefined && open.lines.length > 0) {
    blocks.push({ lang: open.lang, code: open.lines.join('\n') });
  }
  return blocks;
}

/** A line of prose: a sentence of words, without the punctuation code is made of. */
function isProse(line: string): boolean {
  const t = line.trim();
  return /^[A-Z][a-z'’]*(\s+\S+){3,}$/.test(t) && !/[{}();=<>[\]]|^\s*(#|\/\/)/.test(t);
}

/**
 * The code in an answer: the largest fenced block in the file's language (the first of equals),
 * else the largest block of any language; an answer without fences counts when no line of it reads
 * as prose. Undefined when the answer holds no code.
 */
export function extractCode(answer: string, languageId: string | null): string | undefined {
  const all = fencedBlocks(answer);
  const blocks = all.filter((b) => b.code.trim() !== '');
  if (all.length === 0) {
    const plain = answer.replace(/^\s*\n/, '').trimEnd();
    return plain !== '' && !plain.split(/\r?\n/).some(isProse) ? plain : undefined;
  }
  if (blocks.length === 0) {
    return undefined;
  }
  const tags = tagsOf(languageId);
  const inLanguage = blocks.filter((b) => tags.has(b.lang));
  const pool = inLanguage.length > 0 ? inLanguage : blocks;
  return pool.reduce((best, b) => (b.code.length > best.code.length ? b : best)).code.trimEnd();
}

/** A fence longer than any run of backticks in the text. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export interface PromptInput {
  intent: PresetIntent;
  languageId: string | null;
  /** The file's name (not its path: the path stays on this machine unless the code needs it). */
  fileName: string;
  /** 0-based lines of the range. */
  startLine: number;
  endLine: number;
  code: string;
  diagnostics: readonly string[];
}

/** The prompt of a code action: what to do, the code, the errors in range, and the answer's shape. */
export function buildPrompt(p: PromptInput): string {
  const language = p.languageId !== null && p.languageId !== 'plaintext' ? `${p.languageId} ` : '';
  const lines = p.startLine === p.endLine ? `line ${p.startLine + 1}` : `lines ${p.startLine + 1}-${p.endLine + 1}`;
  const where = `this ${language}code from ${p.fileName} (${lines})`;
  const tag = fenceTag(p.languageId);
  const fence = fenceFor(p.code);
  const block = `${fence}${tag}\n${p.code.replace(/\s+$/, '')}\n${fence}`;
  const errors =
    p.diagnostics.length > 0 ? `\n\nProblems reported there:\n${p.diagnostics.map((d) => `- ${d}`).join('\n')}` : '';
  const replaceAll = `Reply with the complete new code in one \`\`\`${tag} block that replaces the code above as a whole`;
  switch (p.intent) {
    case 'code_explanation':
      return (
        `Explain what ${where} does${p.diagnostics.length > 0 ? ', and why the problems below are reported' : ''}.` +
        `${errors}\n\n${block}`
      );
    case 'debugging':
      return (
        `Fix the ${p.diagnostics.length > 0 ? 'problems' : 'bugs'} in ${where}.${errors}\n\n${block}\n\n` +
        `${replaceAll} (same indentation, nothing left out), then say in a sentence or two what was wrong.`
      );
    case 'refactoring':
      return (
        `Refactor ${where}: make it clearer and simpler without changing what it does.${errors}\n\n${block}\n\n` +
        `${replaceAll}, then list the changes briefly.`
      );
    case 'documentation':
      return (
        `Document ${where}: add the documentation comments this language uses (docstrings, JSDoc, ...) ` +
        `without changing the code itself.${errors}\n\n${block}\n\n${replaceAll}.`
      );
    case 'test_generation':
      return (
        `Write unit tests for ${where}, with the test framework ${language}projects usually use.${errors}\n\n` +
        `${block}\n\nReply with the tests in one \`\`\`${tag} block; they will be appended to the end of ` +
        `${p.fileName}, where the code above is defined.`
      );
  }
}

/** The whitespace a line starts with. */
export function leadingIndent(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/**
 * Code re-indented to sit at `indent`: its common indentation removed, `indent` put before every
 * non-empty line except the first when `firstLineInPlace` (the first line continues a line that
 * already has its indentation).
 */
export function reindent(code: string, indent: string, firstLineInPlace: boolean): string {
  const lines = code.split(/\r?\n/);
  const common = Math.min(
    ...lines.filter((l) => l.trim() !== '').map((l) => leadingIndent(l).length),
    Number.MAX_SAFE_INTEGER,
  );
  return lines
    .map((line, i) => {
      if (line.trim() === '') {
        return '';
      }
      const body = line.slice(common === Number.MAX_SAFE_INTEGER ? 0 : common);
      return i === 0 && firstLineInPlace ? body.trimStart() : indent + body;
    })
    .join('\n');
}

export interface TextEditPlan {
  /** Offsets into the original text (UTF-16 code units): the span to replace. */
  start: number;
  end: number;
  /** What goes there. */
  text: string;
}

/**
 * The edit an answer's code makes to the document: Fix, Refactor and Document replace
 * `[start, end)` (the action's range), Write tests appends at the end. Uses the document's line
 * ending, keeps a final line break when the replaced text had one.
 */
export function planEdit(
  intent: PresetIntent,
  documentText: string,
  start: number,
  end: number,
  code: string,
): TextEditPlan {
  const eol = documentText.includes('\r\n') ? '\r\n' : '\n';
  const withEol = (s: string): string => s.replace(/\r?\n/g, eol);
  if (intent === 'test_generation') {
    const body = code.replace(/^\s*\n/, '').trimEnd();
    const separator = documentText === '' ? '' : documentText.endsWith('\n') ? eol : eol + eol;
    return { start: documentText.length, end: documentText.length, text: withEol(`${separator}${body}\n`) };
  }
  const lineStart = documentText.lastIndexOf('\n', start - 1) + 1;
  const before = documentText.slice(lineStart, start);
  const lineEnd = documentText.indexOf('\n', lineStart);
  const firstLine = documentText.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  // the first line keeps what precedes the range (its indentation, or code when it starts mid-line)
  let text = reindent(code.trimEnd(), leadingIndent(firstLine), before !== '');
  const old = documentText.slice(start, end);
  if (/\r?\n$/.test(old)) {
    text += '\n';
  }
  return { start, end, text: withEol(text) };
}

/** The text with the plan applied. */
export function applyPlan(documentText: string, plan: TextEditPlan): string {
  return documentText.slice(0, plan.start) + plan.text + documentText.slice(plan.end);
}

/**
 * Where the old code is now, for a reapply after the document changed: the offset of its only
 * occurrence (nearest to where it was when it occurs more than once), or undefined when gone.
 */
export function relocate(documentText: string, oldCode: string, previousStart: number): number | undefined {
  if (oldCode === '') {
    return undefined;
  }
  let best: number | undefined;
  for (let i = documentText.indexOf(oldCode); i >= 0; i = documentText.indexOf(oldCode, i + 1)) {
    if (best === undefined || Math.abs(i - previousStart) < Math.abs(best - previousStart)) {
      best = i;
    }
  }
  return best;
}
