// Render a template snapshot with answers through the scaffolder's own dry-run
// (POST /api/scaffolder/v2/dry-run), without its publishing steps: the same actions and filters a
// real run uses, so base and target are what the template really wrote at each version.
import type { FileTree } from '../types';
import type { TemplateSnapshot } from '../versions/TemplateHistory';

export interface DryRunBody {
  template: Record<string, unknown>;
  values: Record<string, unknown>;
  directoryContents: Array<{ path: string; base64Content: string }>;
}
export interface DryRunAnswer {
  directoryContents: Array<{ path: string; base64Content: string }>;
  log?: Array<{ body: { message?: string; stepId?: string; status?: string } }>;
}
/** Calls the scaffolder's dry-run as the user (the backend and tests provide it). */
export type DryRun = (body: DryRunBody) => Promise<DryRunAnswer>;

/** Actions that publish or register somewhere; choosing the target (payments:publish:target) is not one. */
const PUBLISHING = [/^publish:/, /^github:/];
const PUBLISHING_IDS = new Set(['payments:publish:local', 'catalog:register']);

/** Steps that publish or register (never run to render): publish:*, payments:publish:local, catalog:register, github:*. */
export function isPublishingAction(action: string): boolean {
  return PUBLISHING_IDS.has(action) || PUBLISHING.some(p => p.test(action));
}

type Step = { id?: unknown; action?: unknown; name?: unknown };

/**
 * The template without its publishing steps and its output (whose links name those steps'
 * outputs): what the dry-run renders into a workspace and nothing else.
 */
export function renderableTemplate(
  template: Record<string, unknown>,
): Record<string, unknown> {
  const spec = (template.spec ?? {}) as Record<string, unknown>;
  const steps = Array.isArray(spec.steps) ? (spec.steps as Step[]) : [];
  const { output: _output, ...rest } = spec;
  return {
    ...template,
    spec: {
      ...rest,
      steps: steps.filter(
        step =>
          !(
            typeof step?.action === 'string' && isPublishingAction(step.action)
          ),
      ),
    },
  };
}

/**
 * The answers as the dry-run validates them against the parameters: answers recorded as null
 * (a field left empty, e.g. publicHostname) are left out, as the form leaves them out.
 */
function presentAnswers(
  answers: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(answers).filter(
      ([, value]) => value !== null && value !== undefined,
    ),
  );
}

/**
 * The files the dry-run gets: the template sits at the root of directoryContents (the dry-run
 * resolves relative URLs from there), so a template in a subfolder takes that subfolder.
 */
function contentsFor(
  snapshot: TemplateSnapshot,
): DryRunBody['directoryContents'] {
  const folder = snapshot.templatePath?.includes('/')
    ? `${snapshot.templatePath.slice(
        0,
        snapshot.templatePath.lastIndexOf('/'),
      )}/`
    : '';
  const contents: DryRunBody['directoryContents'] = [];
  for (const [file, content] of snapshot.files) {
    if (!file.startsWith(folder)) continue;
    contents.push({
      path: file.slice(folder.length),
      base64Content: content.toString('base64'),
    });
  }
  return contents;
}

/** The failing step of a dry-run's log, when the log says which one failed. */
function failedStep(
  log: DryRunAnswer['log'],
): { stepId?: string; message?: string } | undefined {
  return log?.find(entry => entry.body?.status === 'failed')?.body;
}

/** The scaffolder's own message from an error thrown by the dry-run call (HTTP body or Error). */
function reason(error: unknown): { message: string; stepId?: string } {
  const e = error as {
    message?: string;
    log?: DryRunAnswer['log'];
    body?: { error?: { message?: string } };
  };
  const failed = failedStep(e?.log);
  const message =
    e?.body?.error?.message ?? e?.message ?? String(error ?? 'unknown error');
  return { message: failed?.message ?? message, stepId: failed?.stepId };
}

/** First line only: a failed step's log message carries the stack after it. */
function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

/**
 * The template at a version rendered with answers: the dry-run's workspace as a FileTree. Errors
 * name the template, the version, and the failing step when the dry-run says which.
 */
export async function renderTemplate(options: {
  snapshot: TemplateSnapshot;
  answers: Record<string, unknown>;
  dryRun: DryRun;
}): Promise<FileTree> {
  const { snapshot, answers, dryRun } = options;
  const what = `rendering ${snapshot.name} ${snapshot.version} with the recorded answers failed`;
  const fail = (found: { message: string; stepId?: string }) =>
    new Error(
      `${what}${found.stepId ? ` at step '${found.stepId}'` : ''}: ${firstLine(
        found.message,
      )}`,
    );

  let answer: DryRunAnswer;
  try {
    answer = await dryRun({
      template: renderableTemplate(snapshot.template),
      values: presentAnswers(answers),
      directoryContents: contentsFor(snapshot),
    });
  } catch (error) {
    throw fail(reason(error));
  }
  const failed = failedStep(answer.log);
  if (failed) {
    throw fail({
      message: failed.message ?? 'the step failed',
      stepId: failed.stepId,
    });
  }
  if (!Array.isArray(answer.directoryContents)) {
    throw fail({ message: 'the dry-run answered without directoryContents' });
  }
  const files: FileTree = new Map();
  for (const file of answer.directoryContents) {
    files.set(
      file.path.replace(/^\.\//, ''),
      Buffer.from(file.base64Content, 'base64'),
    );
  }
  return files;
}
