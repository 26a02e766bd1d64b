/**
 * The tagging taxonomy shared by the cost and DR plugins and the scaffolder: tag keys, their
 * rules and catalog mapping. Pure parsing and validation; backends read the file.
 *
 * @packageDocumentation
 */
export { parseTaxonomy, TaxonomyError } from './taxonomy';
export type { Taxonomy, TaxonomyTag } from './taxonomy';
export { validateTags } from './validateTags';
export type { CatalogNames, TagViolation } from './validateTags';
export { editDistance } from './nearMiss';
