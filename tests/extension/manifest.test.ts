/**
 * package.json (the extension manifest) agrees with the code and with docs/protocol.md.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, Extension, Notifications, Requests } from '../../extension/src/common/constants';
import { DEFAULT_SETTINGS } from '../../extension/src/common/settings';

const root = path.resolve(__dirname, '..', '..');

interface ConfigProperty {
  type: string;
  default?: unknown;
  enum?: string[];
  markdownDescription?: string;
  minimum?: number;
}

interface Manifest {
  name: string;
  publisher: string;
  main: string;
  activationEvents: string[];
  engines: { vscode: string };
  scripts: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, ConfigProperty> };
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('package.json', () => {
  it('identifies the extension', () => {
    assert.equal(`${manifest.publisher}.${manifest.name}`, Extension.ID);
    assert.equal(manifest.main, './dist/extension.js');
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished']);
    assert.equal(manifest.engines.vscode, '^1.91.0');
  });

  it('contributes exactly the commands the code registers', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
    for (const c of manifest.contributes.commands) {
      assert.equal(`${c.category}: ${c.title}`.startsWith('Smart Router: '), true, c.command);
    }
  });

  it('has the same settings and defaults as settings.ts', () => {
    // dotted keys (`smartRouter.context.enabled`) reach the extension as one nested object
    const defaults: Record<string, unknown> = {};
    for (const [key, p] of Object.entries(properties)) {
      const [head, ...rest] = key.replace(`${Extension.CONFIG_SECTION}.`, '').split('.');
      if (rest.length === 0) {
        defaults[head] = p.default;
      } else {
        defaults[head] = { ...(defaults[head] as Record<string, unknown> | undefined), [rest.join('.')]: p.default };
      }
    }
    assert.deepEqual(defaults, JSON.parse(JSON.stringify(DEFAULT_SETTINGS)));
  });

  it('describes every setting', () => {
    for (const [key, p] of Object.entries(properties)) {
      assert.ok(key.startsWith(`${Extension.CONFIG_SECTION}.`), key);
      assert.ok((p.markdownDescription ?? '').length > 10, `${key} needs a markdownDescription`);
    }
  });

  it('constrains the enumerations and numbers like the server does', () => {
    assert.deepEqual(properties['smartRouter.logLevel'].enum, ['error', 'warning', 'info', 'debug']);
    assert.equal(properties['smartRouter.maxOutputTokens'].type, 'integer');
    assert.equal(properties['smartRouter.maxOutputTokens'].minimum, 1);
    assert.equal(properties['smartRouter.requestTimeoutSeconds'].minimum, 1);
  });

  it('has the build scripts', () => {
    for (const name of ['build', 'typecheck', 'lint', 'test:ts', 'package']) {
      assert.ok(name in manifest.scripts, name);
    }
  });
});

describe('protocol names', () => {
  const doc = fs.readFileSync(path.join(root, 'docs', 'protocol.md'), 'utf8');
  const documented = new Set(doc.match(/smartRouter\/[A-Za-z]+/g) ?? []);

  it('every method in constants.ts is documented in docs/protocol.md', () => {
    for (const method of [...Object.values(Requests), ...Object.values(Notifications)]) {
      assert.ok(documented.has(method), method);
    }
  });

  it('every documented method is in constants.ts', () => {
    const known = new Set<string>([...Object.values(Requests), ...Object.values(Notifications)]);
    for (const method of documented) {
      assert.ok(known.has(method), method);
    }
  });
});
