/**
 * Text (a review note, an owner, an SLO's name) as inline Markdown that reads as itself: on one line
 * (so it cannot begin a heading, a list item or a table row), with the characters of inline
 * Markdown, tables and HTML escaped (so `<script>` is text, `|` no cell border, `[x](y)` no link).
 */
export function markdownText(text: string): string {
  return (
    text
      // Line breaks of any kind, and the controls around them, become one space.
      .replace(/[\r\n\v\f\u0085\u2028\u2029]+/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '')
      .replace(/[\\`*_[\]<>|&~]/g, c => `\\${c}`)
  );
}
