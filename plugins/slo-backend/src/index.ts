/**
 * SLOs from OpenSLO definitions and Prometheus: evaluation, weekly review, deploy gate, rules.
 *
 * @packageDocumentation
 */
export { sloPlugin as default } from './plugin';
