import * as assert from 'node:assert/strict';
import {
  DEFAULT_SETTINGS,
  SETTING_KEYS,
  affectsSettings,
  expandPath,
  needsRestart,
  normaliseSettings,
  type ConfigurationReader,
} from '../../extension/src/common/settings';

function reader(values: Record<string, unknown>): ConfigurationReader {
  return { get: (key: string) => values[key] };
}

describe('settings normalisation', () => {
  it('fills in every default when nothing is set', () => {
    assert.deepEqual(normaliseSettings(reader({})), DEFAULT_SETTINGS);
  });

  it('keeps valid values and trims strings', () => {
    const settings = normaliseSettings(
      reader({
        pythonPath: '  /usr/bin/python3 ',
        defaultModel: 'gpt-4o-mini',
        providers: { local: { baseUrl: 'http://127.0.0.1:4000/v1', kind: 'openai', enabled: true } },
        models: [{ id: 'x', provider: 'local', inputUsdPerMtok: 0, outputUsdPerMtok: 0, contextWindow: 8192, tier: 'local' }],
        maxOutputTokens: 256,
        requestTimeoutSeconds: 5.5,
        databasePath: '/tmp/db.sqlite',
        logLevel: 'debug',
      }),
    );
    assert.equal(settings.pythonPath, '/usr/bin/python3');
    assert.equal(settings.defaultModel, 'gpt-4o-mini');
    assert.deepEqual(settings.providers, { local: { baseUrl: 'http://127.0.0.1:4000/v1', kind: 'openai', enabled: true } });
    assert.equal(settings.models.length, 1);
    assert.equal(settings.maxOutputTokens, 256);
    assert.equal(settings.requestTimeoutSeconds, 5.5);
    assert.equal(settings.logLevel, 'debug');
  });

  it('replaces values of the wrong JSON type by defaults', () => {
    const settings = normaliseSettings(
      reader({ pythonPath: 3, providers: [], models: {}, maxOutputTokens: '12', requestTimeoutSeconds: Number.NaN, logLevel: 'verbose' }),
    );
    assert.equal(settings.pythonPath, '');
    assert.deepEqual(settings.providers, {});
    assert.deepEqual(settings.models, []);
    assert.equal(settings.maxOutputTokens, 1024);
    assert.equal(settings.requestTimeoutSeconds, 60);
    assert.equal(settings.logLevel, 'info');
  });

  it('reads the routing dial and the rules, defaulting what is not valid', () => {
    const rules = [{ name: 'secrets stay local', when: { fileGlob: '**/secrets/**' }, then: { localOnly: true } }];
    const settings = normaliseSettings(reader({ routingPreference: 'quality', rules }));
    assert.equal(settings.routingPreference, 'quality');
    assert.deepEqual(settings.rules, rules);
    const bad = normaliseSettings(reader({ routingPreference: 'cheap', rules: { name: 'x' } }));
    assert.equal(bad.routingPreference, 'balanced');
    assert.deepEqual(bad.rules, []);
  });

  it('reads the context object key by key, defaulting values of the wrong type', () => {
    const settings = normaliseSettings(
      reader({ context: { enabled: false, maxTokens: '9', cacheSizeMb: 5, exclude: ['**/*.sql', 3], extraKey: 1 } }),
    );
    assert.equal(settings.context.enabled, false);
    assert.equal(settings.context.maxTokens, 4000);
    assert.equal(settings.context.cacheSizeMb, 5);
    assert.deepEqual(settings.context.exclude, ['**/*.sql']);
    assert.equal(settings.context.retentionDays, 90);
    assert.equal((settings.context as unknown as Record<string, unknown>).extraKey, 1); // the server names it
    assert.deepEqual(normaliseSettings(reader({ context: 'off' })).context, DEFAULT_SETTINGS.context);
  });

  it('passes out-of-range numbers on, for the server to name the field', () => {
    assert.equal(normaliseSettings(reader({ maxOutputTokens: 0 })).maxOutputTokens, 0);
  });

  it('returns plain copies, not the configuration objects', () => {
    const providers = Object.freeze({ openai: Object.freeze({ enabled: false }) });
    const settings = normaliseSettings(reader({ providers }));
    assert.notEqual(settings.providers, providers);
    settings.providers.openai.enabled = true;
    assert.equal(providers.openai.enabled, false);
  });
});

describe('path expansion', () => {
  const ctx = { home: '/home/ada', workspaceFolder: '/work/proj', env: { VENV: '/opt/venv' } };

  it('expands ~, ${userHome}, ${workspaceFolder} and ${env:NAME}', () => {
    assert.equal(expandPath('~/py/bin/python', ctx), '/home/ada/py/bin/python');
    assert.equal(expandPath('~', ctx), '/home/ada');
    assert.equal(expandPath('${userHome}/x', ctx), '/home/ada/x');
    assert.equal(expandPath('${workspaceFolder}/.venv/bin/python', ctx), '/work/proj/.venv/bin/python');
    assert.equal(expandPath('${env:VENV}/bin/python', ctx), '/opt/venv/bin/python');
    assert.equal(expandPath('${env:UNSET}/python', ctx), '/python');
  });

  it('leaves the rest alone', () => {
    assert.equal(expandPath('/usr/bin/python3', ctx), '/usr/bin/python3');
    assert.equal(expandPath('a~b', ctx), 'a~b');
    assert.equal(expandPath('${unknown}/x', ctx), '${unknown}/x');
    assert.equal(expandPath('${workspaceFolder}/x', { ...ctx, workspaceFolder: undefined }), '${workspaceFolder}/x');
    assert.equal(expandPath('', ctx), '');
  });
});

describe('configuration changes', () => {
  const event = (...changed: string[]) => ({
    affectsConfiguration: (section: string) => changed.some((c) => c === section || c.startsWith(`${section}.`)),
  });

  it('notices changes to the section', () => {
    assert.ok(affectsSettings(event('smartRouter.defaultModel')));
    assert.ok(!affectsSettings(event('editor.fontSize')));
  });

  it('restarts only for a new interpreter', () => {
    assert.ok(needsRestart(event('smartRouter.pythonPath')));
    assert.ok(!needsRestart(event('smartRouter.defaultModel')));
  });

  it('knows every setting', () => {
    assert.deepEqual([...SETTING_KEYS].sort(), Object.keys(DEFAULT_SETTINGS).sort());
  });
});
