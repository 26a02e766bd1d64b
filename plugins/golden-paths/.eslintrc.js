module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The entry point tests assert through shared expect* helpers (__testUtils__/entryPoints).
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*'] },
    ],
  },
});
