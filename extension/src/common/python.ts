/**
 * Finding a Python that can run the sidecar.
 *
 * Candidates, in order: `smartRouter.pythonPath` when set (then only it, or the private
 * environment created from it when it lacks the server), else the private virtual environment
 * that **Install Server** creates in the extension's global storage, else `python3`, else
 * `python` on PATH. Each candidate runs a tiny script that
 * prints its version and the installed sidecar's version; the first one that is new enough
 * and has the sidecar wins. Otherwise the result says exactly what is wrong and which
 * interpreter could host a private environment.
 *
 * No `vscode` import: the decision logic is unit-tested in plain Node.
 */
import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Python } from './constants';

export type PythonVersion = readonly [number, number, number];

/** What the probe script prints. */
export interface PythonInfo {
  version: PythonVersion;
  /** Version of the installed `smart-router` distribution; null when it is not importable. */
  sidecar: string | null;
}

export type CandidateSource = 'setting' | 'venv' | 'path';

export interface PythonCandidate {
  command: string;
  source: CandidateSource;
}

export type ProbeOutcome = { ok: true; info: PythonInfo } | { ok: false; error: string };

export interface ProbeResult {
  candidate: PythonCandidate;
  outcome: ProbeOutcome;
}

export type PythonProblemKind = 'notFound' | 'settingBroken' | 'tooOld' | 'sidecarMissing';

export interface PythonProblem {
  kind: PythonProblemKind;
  /** For the user: names the cause and what to do. */
  message: string;
  /** An interpreter new enough to create the private environment, if one was found. */
  installWith?: string;
}

export type PythonChoice =
  | { ok: true; command: string; info: PythonInfo; source: CandidateSource }
  | { ok: false; problem: PythonProblem };

/**
 * Prints `{"version": [maj, min, micro], "sidecar": "<version>" | null}`. Written so that
 * even an old Python (2.7, 3.6) gets as far as printing its version.
 */
export const PROBE_SCRIPT = [
  'import json, sys',
  'sidecar = None',
  'try:',
  '    import importlib.util',
  `    if importlib.util.find_spec("${Python.MODULE}") is not None:`,
  '        try:',
  '            import importlib.metadata',
  `            sidecar = importlib.metadata.version("${Python.DISTRIBUTION}")`,
  '        except Exception:',
  '            sidecar = "unknown"',
  'except Exception:',
  '    pass',
  'print(json.dumps({"version": list(sys.version_info[:3]), "sidecar": sidecar}))',
].join('\n');

export function formatVersion(version: readonly number[]): string {
  return version.join('.');
}

export function isSupported(version: PythonVersion): boolean {
  const [minMajor, minMinor] = Python.MIN_VERSION;
  return version[0] > minMajor || (version[0] === minMajor && version[1] >= minMinor);
}

/** Parse the probe script's output (the last line that is a JSON object). */
export function parseProbeOutput(stdout: string): PythonInfo {
  const line = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .pop();
  if (line === undefined) {
    throw new Error(`unexpected output: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  const raw = JSON.parse(line) as { version?: unknown; sidecar?: unknown };
  const v = raw.version;
  if (!Array.isArray(v) || v.length < 3 || !v.slice(0, 3).every((n) => Number.isInteger(n))) {
    throw new Error(`unexpected version in ${line}`);
  }
  const sidecar = typeof raw.sidecar === 'string' && raw.sidecar !== '' ? raw.sidecar : null;
  return { version: [v[0] as number, v[1] as number, v[2] as number], sidecar };
}

/** Path of the private environment's interpreter. */
export function venvPython(venvDir: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32'
    ? path.join(venvDir, 'Scripts', 'python.exe')
    : path.join(venvDir, 'bin', 'python');
}

/** The interpreters to try, in order. */
export function candidates(opts: {
  pythonPath: string;
  venvDir: string;
  exists?: (p: string) => boolean;
  platform?: NodeJS.Platform;
}): PythonCandidate[] {
  const exists = opts.exists ?? fs.existsSync;
  const venv = venvPython(opts.venvDir, opts.platform);
  const venvCandidates: PythonCandidate[] = exists(venv) ? [{ command: venv, source: 'venv' }] : [];
  if (opts.pythonPath !== '') {
    // The set Python runs the server, or hosts the private environment that does.
    return [{ command: opts.pythonPath, source: 'setting' }, ...venvCandidates];
  }
  return [...venvCandidates, ...Python.PATH_CANDIDATES.map((command): PythonCandidate => ({ command, source: 'path' }))];
}

const MIN = formatVersion(Python.MIN_VERSION);

/**
 * Pick the interpreter to run, or say precisely why none fits.
 *
 * `extensionVersion` guards the private environment only: a sidecar there of another
 * version than the extension was installed by an older release and needs reinstalling.
 */
export function choosePython(results: readonly ProbeResult[], extensionVersion: string): PythonChoice {
  const setting = results.find((r) => r.candidate.source === 'setting');
  if (setting !== undefined) {
    const cmd = setting.candidate.command;
    if (!setting.outcome.ok) {
      return {
        ok: false,
        problem: {
          kind: 'settingBroken',
          message:
            `Smart Router could not run the Python set in smartRouter.pythonPath (${cmd}): ` +
            `${setting.outcome.error}. Fix the setting or clear it to use python3 from PATH.`,
        },
      };
    }
    const info = setting.outcome.info;
    if (!isSupported(info.version)) {
      return {
        ok: false,
        problem: {
          kind: 'tooOld',
          message:
            `Smart Router needs Python ${MIN} or newer, but smartRouter.pythonPath (${cmd}) is ` +
            `Python ${formatVersion(info.version)}. Set it to a newer Python.`,
        },
      };
    }
    if (info.sidecar === null) {
      const venv = results.find((r) => r.candidate.source === 'venv');
      if (venv?.outcome.ok === true && venv.outcome.info.sidecar === extensionVersion && isSupported(venv.outcome.info.version)) {
        return { ok: true, command: venv.candidate.command, info: venv.outcome.info, source: 'venv' };
      }
      return {
        ok: false,
        problem: {
          kind: 'sidecarMissing',
          message:
            `The Smart Router server is not installed in ${cmd} (Python ${formatVersion(info.version)}), ` +
            `the Python set in smartRouter.pythonPath. Install the server into a private environment, ` +
            `or point the setting at a Python that has it.`,
          installWith: cmd,
        },
      };
    }
    return { ok: true, command: cmd, info, source: 'setting' };
  }

  let stale: { command: string; sidecar: string } | undefined;
  let usable: { command: string; info: PythonInfo } | undefined;
  let tooOld: { command: string; info: PythonInfo } | undefined;
  for (const { candidate, outcome } of results) {
    if (!outcome.ok) {
      continue;
    }
    const { info } = outcome;
    if (!isSupported(info.version)) {
      tooOld ??= { command: candidate.command, info };
      continue;
    }
    if (candidate.source === 'venv' && info.sidecar !== null && info.sidecar !== extensionVersion) {
      stale ??= { command: candidate.command, sidecar: info.sidecar };
      usable ??= { command: candidate.command, info };
      continue;
    }
    if (info.sidecar !== null) {
      return { ok: true, command: candidate.command, info, source: candidate.source };
    }
    usable ??= { command: candidate.command, info };
  }

  if (stale !== undefined) {
    return {
      ok: false,
      problem: {
        kind: 'sidecarMissing',
        message:
          `The Smart Router server in the private environment is version ${stale.sidecar}, ` +
          `but this extension needs ${extensionVersion}. Install the server again to update it.`,
        installWith: stale.command,
      },
    };
  }
  if (usable !== undefined) {
    return {
      ok: false,
      problem: {
        kind: 'sidecarMissing',
        message:
          `The Smart Router server is not installed for Python ${formatVersion(usable.info.version)} ` +
          `(${usable.command}). Install the server into a private environment, or set ` +
          `smartRouter.pythonPath to a Python that has it.`,
        installWith: usable.command,
      },
    };
  }
  if (tooOld !== undefined) {
    return {
      ok: false,
      problem: {
        kind: 'tooOld',
        message:
          `Smart Router needs Python ${MIN} or newer, but ${tooOld.command} is Python ` +
          `${formatVersion(tooOld.info.version)}. Install a newer Python or set smartRouter.pythonPath.`,
      },
    };
  }
  const tried = results.map((r) => r.candidate.command).join(', ');
  return {
    ok: false,
    problem: {
      kind: 'notFound',
      message:
        `Smart Router needs Python ${MIN} or newer, but no Python was found (tried ${tried}). ` +
        `Install Python ${MIN}+ or set smartRouter.pythonPath.`,
    },
  };
}

/** Run the probe script with one interpreter. */
export function probe(command: string, timeoutMs: number = Python.PROBE_TIMEOUT_MS): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    execFile(
      command,
      ['-c', PROBE_SCRIPT],
      { timeout: timeoutMs, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const why =
            code === 'ENOENT'
              ? 'not found'
              : error.killed
                ? `no answer within ${timeoutMs / 1000} s`
                : (stderr.trim().split(/\r?\n/).pop() ?? error.message);
          resolve({ ok: false, error: why });
          return;
        }
        try {
          resolve({ ok: true, info: parseProbeOutput(stdout) });
        } catch (e) {
          resolve({ ok: false, error: e instanceof Error ? e.message : String(e) });
        }
      },
    );
  });
}

/** Probe the candidates in order, stopping at the first one that can run the server. */
export async function findPython(opts: {
  pythonPath: string;
  venvDir: string;
  extensionVersion: string;
  probe?: (command: string) => Promise<ProbeOutcome>;
}): Promise<{ choice: PythonChoice; results: ProbeResult[] }> {
  const run = opts.probe ?? ((c: string) => probe(c));
  const results: ProbeResult[] = [];
  for (const candidate of candidates(opts)) {
    results.push({ candidate, outcome: await run(candidate.command) });
    const choice = choosePython(results, opts.extensionVersion);
    if (choice.ok) {
      return { choice, results };
    }
  }
  return { choice: choosePython(results, opts.extensionVersion), results };
}

export interface RunOptions {
  cwd?: string;
  onOutput: (line: string) => void;
  /** Resolves or fires when the user cancels; the process is then killed. */
  onCancel?: (kill: () => void) => void;
}

/** Run a process to completion, streaming its output line by line. Rejects on failure. */
export function runStreaming(command: string, args: readonly string[], opts: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONUNBUFFERED: '1' },
      windowsHide: true,
    });
    let cancelled = false;
    opts.onCancel?.(() => {
      cancelled = true;
      child.kill();
    });
    const pipe = (stream: NodeJS.ReadableStream | null): void => {
      let buffer = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split(/\r?\n/);
        buffer = lines.pop() ?? '';
        lines.filter((l) => l.trim() !== '').forEach(opts.onOutput);
      });
      stream?.on('end', () => {
        if (buffer.trim() !== '') {
          opts.onOutput(buffer);
        }
      });
    };
    pipe(child.stdout);
    pipe(child.stderr);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (cancelled) {
        reject(new CancelledError());
      } else if (code === 0) {
        resolve();
      } else {
        reject(new Error(`${path.basename(command)} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
      }
    });
  });
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** What `pip install` needs from the extension's folder (README.md: pyproject's `readme`). */
export const SIDECAR_SOURCES: readonly string[] = ['pyproject.toml', 'README.md', 'LICENSE', 'server'];

/**
 * Copy the sidecar's sources out of the extension's folder, so that building the wheel never
 * writes into the (possibly read-only) installed extension.
 */
export async function copySidecarSources(extensionPath: string, target: string): Promise<void> {
  await fs.promises.rm(target, { recursive: true, force: true });
  await fs.promises.mkdir(target, { recursive: true });
  for (const name of SIDECAR_SOURCES) {
    const from = path.join(extensionPath, name);
    if (fs.existsSync(from)) {
      await fs.promises.cp(from, path.join(target, name), {
        recursive: true,
        filter: (src) => !/(__pycache__|\.egg-info|\.pyc)$/.test(src),
      });
    }
  }
}

/**
 * Create (or reuse) the private environment and install the sidecar from the extension's
 * own folder (the .vsix ships `server/` and `pyproject.toml`). Returns the environment's
 * interpreter.
 *
 * The optional embedding model (the `embeddings` extra: torch, sentence-transformers, the packaged
 * all-MiniLM-L6-v2) is left out on purpose: it adds hundreds of megabytes, and on Linux and
 * Windows plain pip would fetch torch's CUDA build. The server runs without it on its lexical
 * paths and its `smartRouter/status` message says how to add it.
 */
export async function installSidecar(opts: {
  basePython: string;
  venvDir: string;
  extensionPath: string;
  onOutput: (line: string) => void;
  onStep: (step: string) => void;
  onCancel: (kill: () => void) => void;
}): Promise<string> {
  const python = venvPython(opts.venvDir);
  const reuse = fs.existsSync(python) && (await probe(python)).ok;
  if (!reuse) {
    opts.onStep('Creating a private Python environment');
    await fs.promises.mkdir(path.dirname(opts.venvDir), { recursive: true });
    await runStreaming(opts.basePython, ['-m', 'venv', '--clear', opts.venvDir], opts);
  }
  opts.onStep('Installing the server and its dependencies');
  const sources = `${opts.venvDir}-src`;
  await copySidecarSources(opts.extensionPath, sources);
  try {
    await runStreaming(python, ['-m', 'pip', 'install', '--upgrade', sources], { ...opts, cwd: opts.venvDir });
  } finally {
    await fs.promises.rm(sources, { recursive: true, force: true }).catch(() => undefined);
  }
  return python;
}
