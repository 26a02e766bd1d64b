/**
 * Catalog rules of the payments platform.
 *
 * @packageDocumentation
 */
export { catalogModulePayments as default } from './module';
export { DrTierAnnotationProcessor } from './DrTierAnnotationProcessor';
