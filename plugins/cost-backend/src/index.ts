/**
 * Cost per product, team and service from the tagging taxonomy, read from AWS Cost Explorer.
 *
 * @packageDocumentation
 */
export { costPlugin as default } from './plugin';
