import { parser } from '@prometheus-io/lezer-promql';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];
/** A label matcher to add to every vector selector of a query, e.g. `track="canary"`. */
export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export type RestrictedQuery = { query: string } | { problem: string };

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function unquote(literal: string): string {
  if (literal.startsWith('"')) {
    try {
      return JSON.parse(literal);
    } catch {
      return literal.slice(1, -1);
    }
  }
  return literal.slice(1, -1);
}

/** The label a matcher inside `{...}` constrains; undefined for a bare quoted metric name (`{"a.b"}`). */
function constrainedLabel(node: SyntaxNode, query: string): string | undefined {
  if (node.name === 'UnquotedLabelMatcher') {
    const name = node.getChild('LabelName');
    return name ? query.slice(name.from, name.to) : undefined;
  }
  if (node.name === 'QuotedLabelMatcher') {
    const quoted = node.getChild('QuotedLabelName');
    return quoted ? unquote(query.slice(quoted.from, quoted.to)) : undefined;
  }
  return undefined;
}

function where(query: string, offset: number): string {
  return `at offset ${offset} ('${query.slice(offset, offset + 20)}')`;
}

/**
 * The query with `matcher` added to every vector selector (in aggregations, range vectors,
 * subqueries, both sides of binary operators and `or`), parsed by Prometheus' own grammar
 * (@prometheus-io/lezer-promql), not by patterns. A problem instead when the query does not parse,
 * selects no series, or a selector already constrains the label (it would silently judge the
 * wrong series).
 */
export function withLabelMatcher(
  query: string,
  matcher: LabelMatcher,
): RestrictedQuery {
  if (!LABEL_NAME.test(matcher.name))
    return { problem: `'${matcher.name}' is not a label name` };
  const tree = parser.parse(query);
  const inserts: Array<{ at: number; text: string }> = [];
  const problems: string[] = [];
  const text = `${matcher.name}${matcher.op}${JSON.stringify(matcher.value)}`;
  tree.iterate({
    enter: ref => {
      if (ref.type.isError) {
        problems.push(
          `the query is not valid PromQL ${where(query, ref.from)}`,
        );
        return false;
      }
      if (ref.name !== 'VectorSelector') return undefined;
      const node = ref.node;
      const matchers = node.getChild('LabelMatchers');
      if (!matchers) {
        inserts.push({ at: node.to, text: `{${text}}` });
        return false;
      }
      let last: SyntaxNode | undefined;
      for (let c = matchers.firstChild; c; c = c.nextSibling) {
        if (!/LabelMatcher$|^QuotedLabelName$/.test(c.name)) continue;
        last = c;
        if (constrainedLabel(c, query) === matcher.name)
          problems.push(
            `the selector '${query.slice(
              node.from,
              node.to,
            )}' already constrains '${matcher.name}'; the gate adds ${
              matcher.name
            } itself, so leave it out of the SLI`,
          );
      }
      inserts.push(
        last
          ? { at: last.to, text: `, ${text}` }
          : { at: matchers.from + 1, text },
      );
      return false;
    },
  });
  if (problems.length) return { problem: problems[0] };
  if (inserts.length === 0)
    return {
      problem: `the query selects no series, so it cannot be restricted to ${text}`,
    };
  let restricted = query;
  for (const insert of inserts.sort((a, b) => b.at - a.at))
    restricted =
      restricted.slice(0, insert.at) +
      insert.text +
      restricted.slice(insert.at);
  return { query: restricted };
}
