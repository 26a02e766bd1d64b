import { markdownText } from './markdownText';

describe('markdownText', () => {
  it.each([
    [
      'plain text as it is',
      'Issues refunds to cards.',
      'Issues refunds to cards.',
    ],
    [
      'HTML as entities',
      '<script>alert(1)</script> & <b>',
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;',
    ],
    [
      'links, images, emphasis and code as text',
      '![x](y) [z](w) *e* _f_ `g` \\h',
      '!\\[x\\](y) \\[z\\](w) \\*e\\* \\_f\\_ \\`g\\` \\\\h',
    ],
    [
      'attribute lists, tables and template braces as text',
      '{: .x} | ${{ a }}',
      '\\{: .x\\} \\| $\\{\\{ a \\}\\}',
    ],
    ['a leading heading', '# Refunds', '\\# Refunds'],
    ['a leading list item or rule', '- a', '\\- a'],
    ['a leading document marker', '--- b', '\\--- b'],
    ['a leading number', '1. first', '1\\. first'],
    [
      'line breaks as spaces',
      'one\ntwo\r\nthree\u2028four',
      'one two three four',
    ],
    ['leading spaces dropped (no code block)', '     code', 'code'],
    ['emoji and scripts as they are', 'پرداخت‌ها 💳 👩‍💻', 'پرداخت‌ها 💳 👩‍💻'],
  ])('escapes %s', (_case, text, markdown) => {
    expect(markdownText(text)).toBe(markdown);
  });

  it('renders nothing for a missing value', () => {
    expect(markdownText(undefined)).toBe('');
  });
});
