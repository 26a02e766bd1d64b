/**
 * The golden-path upgrade engine: template versions from metadata and git history, rendering a
 * version with answers through the scaffolder's dry-run, three-way merges of whole trees, and
 * local repositories (branches as proposals).
 *
 * @packageDocumentation
 */
export type { FileTree } from './types';
export { mergeTrees } from './merge/mergeTrees';
export type { TreeMergeResult } from './merge/mergeTrees';
export { hasConflictMarkers } from './merge/textMerge';
export type { MergeLabels } from './merge/textMerge';
export { TemplateHistory, WORKTREE } from './versions/TemplateHistory';
export { compareVersions, isTemplateVersion } from './versions/semver';
export type {
  TemplateVersion,
  TemplateSnapshot,
} from './versions/TemplateHistory';
export { renderTemplate, isPublishingAction } from './render/renderTemplate';
export type { DryRun, DryRunBody, DryRunAnswer } from './render/renderTemplate';
export { scaffolderDryRun, DryRunError } from './render/scaffolderDryRun';
export { LocalRepository } from './repo/LocalRepository';
export type { CommitClock } from './repo/LocalRepository';
export { parseRecordedAnswers } from './answers';
export type { RecordedAnswers } from './answers';
export {
  DEFAULT_LOCAL_PUBLISH_DIRECTORY,
  readLocalPublishSettings,
} from './localPublish';
export type { LocalPublishSettings } from './localPublish';
