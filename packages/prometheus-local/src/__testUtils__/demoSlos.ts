export { demoSloDefinitions as demoSlos } from '../recordingRules';
