#!/usr/bin/env node
// Prints one closing line for the whole test command: "tests: N passed, N failed, N skipped".
// Arguments: Jest's JSON, Playwright's JSON, then any suites of our own that write
// { suite, passed, failed, skipped } (scripts/bundle-test.js), and `label=file` for further Jest
// runs (the date-sensitive suites with the clock moved).
const fs = require('node:fs');

const [jestFile, playwrightFile, ...suiteFiles] = process.argv.slice(2);
const read = file =>
  file && fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;

const jestCounts = (name, file) => {
  const jest = read(file);
  return {
    name,
    passed: jest?.numPassedTests ?? 0,
    // A run that wrote no results (it crashed) counts as a failure, not as nothing.
    failed: jest ? jest.numFailedTests + jest.numRuntimeErrorTestSuites : 1,
    skipped: (jest?.numPendingTests ?? 0) + (jest?.numTodoTests ?? 0),
  };
};
const playwright = read(playwrightFile);
const unit = jestCounts('unit and integration', jestFile);
const moved = suiteFiles
  .filter(arg => arg.includes('='))
  .map(arg =>
    jestCounts(arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)),
  );
const browser = {
  name: 'browser',
  passed: playwright?.stats?.expected ?? 0,
  failed: playwright ? playwright.stats.unexpected + playwright.stats.flaky : 1,
  skipped: playwright?.stats?.skipped ?? 0,
};
const own = suiteFiles
  .filter(arg => !arg.includes('='))
  .map(read)
  .filter(Boolean)
  .map(s => ({
    name: s.suite,
    passed: s.passed,
    failed: s.failed,
    skipped: s.skipped,
  }));
const all = [unit, ...moved, browser, ...own];
for (const s of all)
  console.log(
    `${s.name}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`,
  );
const total = key => all.reduce((sum, s) => sum + s[key], 0);
console.log(
  `tests: ${total('passed')} passed, ${total('failed')} failed, ${total(
    'skipped',
  )} skipped`,
);
process.exit(total('failed') > 0 || unit.passed + browser.passed === 0 ? 1 : 0);
