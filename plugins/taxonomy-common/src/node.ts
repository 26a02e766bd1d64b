/**
 * Node-only helpers of the taxonomy (they read files): for backend plugins.
 *
 * @packageDocumentation
 */
export { loadTaxonomy } from './loadTaxonomy';
