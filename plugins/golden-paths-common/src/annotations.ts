/** The template a Component was made from (written by the scaffolder's catalog-info, Backstage's own). */
export const SOURCE_TEMPLATE_ANNOTATION = 'backstage.io/source-template';
/** The version of that template the repository is at: written by the template, moved by a merged upgrade. */
export const TEMPLATE_VERSION_ANNOTATION = 'payments-platform/template-version';
/** The file each golden-path repository records its template, version and answers in. */
export const TEMPLATE_ANSWERS_FILE = '.template-answers.json';
/** The GitHub repository (`<owner>/<name>`) a Component lives in: Backstage's GitHub annotation. */
export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';

/**
 * The entity's GitHub repository from its `github.com/project-slug`: undefined without the
 * annotation; an error (naming the annotation, its value and the fix) when it is not owner/name.
 */
export function githubSlugOf(
  annotations: Record<string, string> | undefined,
): { owner: string; repo: string; slug: string } | undefined {
  const slug = annotations?.[GITHUB_SLUG_ANNOTATION];
  if (!slug) return undefined;
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(slug);
  if (!match)
    throw new Error(
      `its ${GITHUB_SLUG_ANNOTATION} annotation '${slug}' is not <owner>/<repository>; fix its catalog-info.yaml`,
    );
  return { owner: match[1], repo: match[2], slug };
}
