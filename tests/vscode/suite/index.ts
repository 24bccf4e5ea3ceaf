// Entry point loaded by VS Code's extension host via the `extensionTestsPath` payload (see run.sh).
// Exports run(); the extension host exits with 0/1 depending on the returned promise.
// The host forwards console output unformatted and prefixed, so the suite writes its own result file
// (path in SR_E2E_RESULT, set through `extensionEnvironment`) and tags its reporter lines with
// "[mocha]" so driver/exthost.mjs can echo them.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha = require('mocha');

(Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void }).consoleLog = (...a: unknown[]) => {
  for (const line of util.format(...a).split('\n')) console.log('[mocha] ' + line);
};

export function run(): Promise<void> {
  const resultFile = process.env.SR_E2E_RESULT || path.resolve(__dirname, '../../../../artifacts/exthost-result.txt');
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.SR_E2E_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const line = `${runner.stats?.passes ?? 0} passed, ${failures} failed`;
      fs.mkdirSync(path.dirname(resultFile), { recursive: true });
      fs.writeFileSync(resultFile, line + '\n' + lines.join('\n') + '\n');
      console.log('[mocha] (B) ' + line);
      if (failures) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => lines.push(`ok   ${t.fullTitle()} (${t.duration ?? 0} ms)`));
    runner.on('fail', (t, err: Error) => lines.push(`FAIL ${t.fullTitle()}: ${String(err?.message ?? err).split('\n').join('\n     ')}`));
  });
}
