#!/usr/bin/env node
// Prints one closing line for the whole test command: "tests: N passed, N failed, N skipped".
const fs = require('node:fs');

const [jestFile, playwrightFile] = process.argv.slice(2);
const read = file => (file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);

const jest = read(jestFile);
const playwright = read(playwrightFile);
const unit = {
  passed: jest?.numPassedTests ?? 0,
  failed: jest?.numFailedTests ?? 0,
  skipped: (jest?.numPendingTests ?? 0) + (jest?.numTodoTests ?? 0),
};
const browser = {
  passed: playwright?.stats?.expected ?? 0,
  failed: (playwright?.stats?.unexpected ?? 0) + (playwright?.stats?.flaky ?? 0),
  skipped: playwright?.stats?.skipped ?? 0,
};
console.log(`unit and integration: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`browser: ${browser.passed} passed, ${browser.failed} failed, ${browser.skipped} skipped`);
console.log(
  `tests: ${unit.passed + browser.passed} passed, ${unit.failed + browser.failed} failed, ${unit.skipped + browser.skipped} skipped`,
);
process.exit(unit.failed + browser.failed > 0 || unit.passed + browser.passed === 0 ? 1 : 0);
