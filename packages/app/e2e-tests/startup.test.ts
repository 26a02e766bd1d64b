import fs from 'node:fs';
import { expect, test } from './portalTest';

/*
 * The portal's startup must be clean: every backend plugin initialised, no error logged.
 * scripts/test.sh writes the portal's output to PORTAL_LOG_FILE.
 */
const logFile = process.env.PORTAL_LOG_FILE;

// The dev log format: "<time> <plugin> <level> <message>", with ANSI colours.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const stripAnsi = (line: string) => line.replace(ANSI_COLOUR, '');
const LEVEL = /^\S+Z (\S+) (error|warn|info|debug) (.*)$/;

test('the backend starts every plugin and logs no errors', async () => {
  test.skip(
    !logFile,
    'PORTAL_LOG_FILE is set by scripts/test.sh, which starts the portal',
  );
  const lines = fs.readFileSync(logFile!, 'utf8').split('\n').map(stripAnsi);

  const complete = lines.find(line =>
    line.includes('Plugin initialization complete'),
  );
  expect(
    complete,
    'the backend finished initialising its plugins',
  ).toBeTruthy();
  expect(
    lines.filter(line =>
      /failed to initialize|Plugin '.*' threw an error/i.test(line),
    ),
  ).toEqual([]);

  const entries = lines
    .map(line => LEVEL.exec(line))
    .filter((match): match is RegExpExecArray => match !== null);
  // The parser must understand the log, or "no errors" would mean nothing.
  expect(entries.filter(match => match[2] === 'info').length).toBeGreaterThan(
    10,
  );
  const errors = entries
    .filter(match => match[2] === 'error')
    .map(match => `${match[1]}: ${match[3]}`);
  expect(errors).toEqual([]);
  // Uncaught errors print outside the logger.
  expect(
    lines.filter(line =>
      /^(Error|TypeError|ReferenceError)\b|Unhandled/.test(line),
    ),
  ).toEqual([]);
});
