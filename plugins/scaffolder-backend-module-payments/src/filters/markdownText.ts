import { createTemplateFilter } from '@backstage/plugin-scaffolder-node/alpha';

export const MARKDOWN_TEXT_FILTER_ID = 'markdownText';

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

/**
 * Text as Markdown that shows exactly that text, never markup: in CommonMark and GitHub (README)
 * and in Python-Markdown as mkdocs builds TechDocs. `& < >` become HTML entities (no HTML, no
 * autolinks, no blockquote); the inline markup characters `` \ ` * _ { } [ ] | `` get a backslash
 * (no emphasis, code, links, images, attribute lists or tables; each is a backslash escape in
 * both dialects); a leading `# + -` or a number followed by `.` or `)` gets one too (no heading,
 * list or rule). Line breaks become spaces and leading spaces go: the result is one paragraph line.
 */
export function markdownText(value: unknown): string {
  return (
    String(value ?? '')
      .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
      // Markdown drops leading spaces, or (4 or more) makes a code block of the line.
      .trimStart()
      .replace(/[&<>]/g, character => HTML_ENTITIES[character])
      .replace(/[\\`*_{}[\]|]/g, character => `\\${character}`)
      .replace(/^[#+-]/, character => `\\${character}`)
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}

/** The `markdownText` template filter: `${{ values.description | markdownText }}` in a Markdown skeleton. */
export const markdownTextFilter = createTemplateFilter({
  id: MARKDOWN_TEXT_FILTER_ID,
  description:
    'Escapes free text for Markdown (README, TechDocs): shown as the same text in CommonMark, GitHub and mkdocs, never as HTML, links, images, emphasis, headings or lists. Line breaks become spaces.',
  examples: [
    {
      description: 'A form answer as a paragraph of a README',
      example: '${{ parameters.description | markdownText }}',
      notes:
        "'<b>Refunds</b> *cards*' renders '&lt;b&gt;Refunds&lt;/b&gt; \\*cards\\*'",
    },
  ],
  schema: z =>
    z
      .function()
      .args(z.string().describe('The text'))
      .returns(z.string().describe('The text as Markdown')),
  filter: markdownText,
});
