/**
 * DR readiness: scheduled scans of each service's AWS estate against its DR tier's controls,
 * with evidence, hashes, history, waivers and evidence packs for auditors.
 *
 * @packageDocumentation
 */
export { drReadinessPlugin as default } from './plugin';
