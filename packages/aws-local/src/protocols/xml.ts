/** Minimal XML writing for the awsQuery and restXml protocols. */

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A list whose items are written under a name other than the awsQuery default `member`. */
export class XmlList {
  constructor(readonly memberName: string, readonly items: unknown[]) {}
}

/** A flattened list (restXml `@xmlFlattened`): each item is an element named as the key, with no wrapper. */
export class XmlFlatList {
  constructor(readonly items: unknown[]) {}
}

/**
 * Writes `value` as the content of an element: objects become child elements in key order,
 * arrays become `<member>` children, Dates ISO 8601, undefined is omitted.
 */
export function xmlContent(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date)
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (value instanceof XmlList)
    return value.items.map(item => xmlElement(value.memberName, item)).join('');
  if (Array.isArray(value))
    return value.map(item => xmlElement('member', item)).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) =>
        v instanceof XmlFlatList
          ? v.items.map(item => xmlElement(k, item)).join('')
          : xmlElement(k, v),
      )
      .join('');
  }
  return escapeXml(String(value));
}

export function xmlElement(
  name: string,
  value: unknown,
  attributes = '',
): string {
  return `<${name}${attributes}>${xmlContent(value)}</${name}>`;
}
