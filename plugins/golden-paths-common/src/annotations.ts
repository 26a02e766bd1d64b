/** The template a Component was made from (written by the scaffolder's catalog-info, Backstage's own). */
export const SOURCE_TEMPLATE_ANNOTATION = 'backstage.io/source-template';
/** The version of that template the repository is at: written by the template, moved by a merged upgrade. */
export const TEMPLATE_VERSION_ANNOTATION = 'payments-platform/template-version';
/** The file each golden-path repository records its template, version and answers in. */
export const TEMPLATE_ANSWERS_FILE = '.template-answers.json';
