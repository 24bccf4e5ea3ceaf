import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  candidates,
  choosePython,
  copySidecarSources,
  findPython,
  formatVersion,
  isSupported,
  parseProbeOutput,
  probe,
  runStreaming,
  venvPython,
  type ProbeOutcome,
  type ProbeResult,
  type PythonCandidate,
} from '../../extension/src/common/python';

const ok = (version: [number, number, number], sidecar: string | null = null): ProbeOutcome => ({
  ok: true,
  info: { version, sidecar },
});
const missing: ProbeOutcome = { ok: false, error: 'not found' };
const at = (command: string, source: PythonCandidate['source'], outcome: ProbeOutcome): ProbeResult => ({
  candidate: { command, source },
  outcome,
});

describe('python version checks', () => {
  it('parses the probe output', () => {
    assert.deepEqual(parseProbeOutput('{"version": [3, 12, 1], "sidecar": "0.1.0"}\n'), {
      version: [3, 12, 1],
      sidecar: '0.1.0',
    });
    assert.deepEqual(parseProbeOutput('noise from sitecustomize\n{"version": [3, 11, 0], "sidecar": null}'), {
      version: [3, 11, 0],
      sidecar: null,
    });
  });

  it('rejects unexpected output', () => {
    assert.throws(() => parseProbeOutput(''), /unexpected output/);
    assert.throws(() => parseProbeOutput('{"version": "3.12"}'), /unexpected version/);
    assert.throws(() => parseProbeOutput('{"version": [3, 12]}'), /unexpected version/);
  });

  it('requires Python 3.11 or newer', () => {
    assert.ok(isSupported([3, 11, 0]));
    assert.ok(isSupported([3, 13, 2]));
    assert.ok(isSupported([4, 0, 0]));
    assert.ok(!isSupported([3, 10, 14]));
    assert.ok(!isSupported([2, 7, 18]));
    assert.equal(formatVersion([3, 10, 14]), '3.10.14');
  });
});

describe('python candidates', () => {
  it('uses the setting, and the private environment made from it, when it is set', () => {
    assert.deepEqual(candidates({ pythonPath: '/opt/py/bin/python', venvDir: '/store/venv', exists: () => true, platform: 'linux' }), [
      { command: '/opt/py/bin/python', source: 'setting' },
      { command: path.join('/store/venv', 'bin', 'python'), source: 'venv' },
    ]);
    assert.deepEqual(candidates({ pythonPath: '/opt/py/bin/python', venvDir: '/store/venv', exists: () => false }), [
      { command: '/opt/py/bin/python', source: 'setting' },
    ]);
  });

  it('tries the private environment first, then python3 and python', () => {
    assert.deepEqual(
      candidates({ pythonPath: '', venvDir: '/store/venv', exists: () => true, platform: 'linux' }).map((c) => c.command),
      [path.join('/store/venv', 'bin', 'python'), 'python3', 'python'],
    );
    assert.deepEqual(
      candidates({ pythonPath: '', venvDir: '/store/venv', exists: () => false }).map((c) => c.command),
      ['python3', 'python'],
    );
  });

  it('knows where a venv keeps its interpreter', () => {
    assert.equal(venvPython('/v', 'linux'), path.join('/v', 'bin', 'python'));
    assert.equal(venvPython('C:\\v', 'win32'), path.join('C:\\v', 'Scripts', 'python.exe'));
  });
});

describe('choosePython', () => {
  it('takes the first candidate with a new enough Python and the sidecar', () => {
    const choice = choosePython(
      [at('python3', 'path', ok([3, 12, 0], '0.1.0')), at('python', 'path', ok([3, 13, 0], '0.1.0'))],
      '0.1.0',
    );
    assert.deepEqual(choice, { ok: true, command: 'python3', info: { version: [3, 12, 0], sidecar: '0.1.0' }, source: 'path' });
  });

  it('says when no Python was found at all', () => {
    const choice = choosePython([at('python3', 'path', missing), at('python', 'path', missing)], '0.1.0');
    assert.ok(!choice.ok);
    assert.equal(choice.problem.kind, 'notFound');
    assert.match(choice.problem.message, /needs Python 3\.11 or newer, but no Python was found \(tried python3, python\)/);
    assert.equal(choice.problem.installWith, undefined);
  });

  it('says when Python is too old', () => {
    const choice = choosePython([at('python3', 'path', ok([3, 9, 7])), at('python', 'path', ok([2, 7, 18]))], '0.1.0');
    assert.ok(!choice.ok);
    assert.equal(choice.problem.kind, 'tooOld');
    assert.match(choice.problem.message, /python3 is Python 3\.9\.7/);
    assert.equal(choice.problem.installWith, undefined);
  });

  it('says when the sidecar is missing and offers the new enough Python to install it', () => {
    const choice = choosePython([at('python3', 'path', ok([3, 9, 7])), at('python', 'path', ok([3, 11, 4]))], '0.1.0');
    assert.ok(!choice.ok);
    assert.equal(choice.problem.kind, 'sidecarMissing');
    assert.match(choice.problem.message, /not installed for Python 3\.11\.4 \(python\)/);
    assert.equal(choice.problem.installWith, 'python');
  });

  it('prefers the private environment', () => {
    const choice = choosePython([at('/store/venv/bin/python', 'venv', ok([3, 12, 0], '0.1.0')), at('python3', 'path', ok([3, 12, 0], '0.1.0'))], '0.1.0');
    assert.ok(choice.ok);
    assert.equal(choice.source, 'venv');
  });

  it('treats an outdated private environment as needing a reinstall, unless PATH has the server', () => {
    const stale = choosePython([at('/store/venv/bin/python', 'venv', ok([3, 12, 0], '0.0.9')), at('python3', 'path', ok([3, 12, 0]))], '0.1.0');
    assert.ok(!stale.ok);
    assert.equal(stale.problem.kind, 'sidecarMissing');
    assert.match(stale.problem.message, /version 0\.0\.9, but this extension needs 0\.1\.0/);
    assert.equal(stale.problem.installWith, '/store/venv/bin/python');

    const fallback = choosePython([at('/store/venv/bin/python', 'venv', ok([3, 12, 0], '0.0.9')), at('python3', 'path', ok([3, 12, 0], '0.1.0'))], '0.1.0');
    assert.ok(fallback.ok);
    assert.equal(fallback.command, 'python3');
  });

  it('does not version-check a sidecar the user installed on PATH', () => {
    const choice = choosePython([at('python3', 'path', ok([3, 12, 0], '0.2.0.dev1'))], '0.1.0');
    assert.ok(choice.ok);
  });

  it('reports a broken pythonPath setting precisely, without falling back', () => {
    const broken = choosePython([at('/nope/python', 'setting', missing)], '0.1.0');
    assert.ok(!broken.ok);
    assert.equal(broken.problem.kind, 'settingBroken');
    assert.match(broken.problem.message, /smartRouter\.pythonPath \(\/nope\/python\): not found/);

    const old = choosePython([at('/old/python', 'setting', ok([3, 8, 10]))], '0.1.0');
    assert.ok(!old.ok);
    assert.equal(old.problem.kind, 'tooOld');

    const bare = choosePython([at('/new/python', 'setting', ok([3, 12, 0]))], '0.1.0');
    assert.ok(!bare.ok);
    assert.equal(bare.problem.kind, 'sidecarMissing');
    assert.equal(bare.problem.installWith, '/new/python');
  });

  it('runs the private environment made from a set Python that lacks the server', () => {
    const venv = '/store/venv/bin/python';
    const choice = choosePython([at('/new/python', 'setting', ok([3, 12, 0])), at(venv, 'venv', ok([3, 12, 0], '0.1.0'))], '0.1.0');
    assert.ok(choice.ok);
    assert.equal(choice.command, venv);

    const stale = choosePython([at('/new/python', 'setting', ok([3, 12, 0])), at(venv, 'venv', ok([3, 12, 0], '0.0.9'))], '0.1.0');
    assert.ok(!stale.ok);
    assert.equal(stale.problem.installWith, '/new/python');

    const own = choosePython([at('/new/python', 'setting', ok([3, 12, 0], '0.3.0')), at(venv, 'venv', ok([3, 12, 0], '0.1.0'))], '0.1.0');
    assert.ok(own.ok);
    assert.equal(own.command, '/new/python', 'a set Python with the server wins');
  });

  it('findPython stops probing at the first usable interpreter', async () => {
    const probed: string[] = [];
    const { choice } = await findPython({
      pythonPath: '',
      venvDir: '/definitely/not/here',
      extensionVersion: '0.1.0',
      probe: (command) => {
        probed.push(command);
        return Promise.resolve(command === 'python3' ? ok([3, 12, 0], '0.1.0') : missing);
      },
    });
    assert.ok(choice.ok);
    assert.deepEqual(probed, ['python3']);
  });
});

describe('probing a real interpreter', function () {
  this.timeout(20_000);

  it('reports a missing interpreter as not found', async () => {
    assert.deepEqual(await probe('/definitely/not/a/python'), { ok: false, error: 'not found' });
  });

  it('reads the version of python3 on PATH', async function () {
    let expected: string;
    try {
      expected = execFileSync('python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
        encoding: 'utf8',
      }).trim();
    } catch {
      this.skip();
    }
    const outcome = await probe('python3');
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(formatVersion(outcome.info.version), expected);
  });
});

describe('runStreaming', function () {
  this.timeout(20_000);

  it('streams output lines and resolves on success', async () => {
    const lines: string[] = [];
    await runStreaming(process.execPath, ['-e', 'console.log("one"); console.error("two"); process.stdout.write("three")'], {
      onOutput: (l) => lines.push(l),
    });
    assert.deepEqual(lines.sort(), ['one', 'three', 'two']);
  });

  it('rejects when the process fails', async () => {
    await assert.rejects(
      runStreaming(process.execPath, ['-e', 'process.exit(3)'], { onOutput: () => undefined }),
      /exit 3/,
    );
  });

  it('kills the process when cancelled', async () => {
    let kill: (() => void) | undefined;
    const running = runStreaming(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      onOutput: () => undefined,
      onCancel: (k) => {
        kill = k;
      },
    });
    setTimeout(() => kill?.(), 100);
    await assert.rejects(running, { name: 'CancelledError' });
  });
});

describe('copySidecarSources', () => {
  it('copies what pip needs, without caches or build leftovers', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-copy-'));
    try {
      const ext = path.join(tmp, 'ext');
      const write = (rel: string, text = 'x'): void => {
        fs.mkdirSync(path.dirname(path.join(ext, rel)), { recursive: true });
        fs.writeFileSync(path.join(ext, rel), text);
      };
      write('pyproject.toml', '[project]');
      write('README.md');
      write('package.json');
      write('dist/extension.js');
      write('server/smart_router/__init__.py');
      write('server/smart_router/catalog/models.json');
      write('server/smart_router/__pycache__/__init__.cpython-311.pyc');
      write('server/smart_router.egg-info/PKG-INFO');
      const target = path.join(tmp, 'venv-src');
      write('../venv-src/stale.txt');
      await copySidecarSources(ext, target);
      const listed: string[] = [];
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) {
            walk(full);
          } else {
            listed.push(path.relative(target, full).split(path.sep).join('/'));
          }
        }
      };
      walk(target);
      assert.deepEqual(listed.sort(), [
        'README.md',
        'pyproject.toml',
        'server/smart_router/__init__.py',
        'server/smart_router/catalog/models.json',
      ]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
