// What a YAML file under the templates directory declares: Template entities, and the version each
// one's fetch:template steps render into new repositories (values.templateVersion).
import yaml from 'yaml';
import { isTemplateVersion } from './semver';

export interface DeclaredTemplate {
  /** metadata.name */
  name: string;
  /** The version its fetch:template steps agree on; undefined (with `problem`) when they do not. */
  version?: string;
  /** Why the file declares no usable version, naming the field and the fix. */
  problem?: string;
  /** The template entity as parsed (YAML anchors resolved). */
  entity: Record<string, unknown>;
}

/** Cheap test before parsing: skeleton files are YAML too, and most are templated (unparseable). */
const DECLARES_TEMPLATE = /^kind:\s*['"]?Template['"]?\s*(#.*)?$/m;

export function isTemplateCandidate(path: string): boolean {
  return /\.ya?ml$/.test(path);
}

/** The Template entities a YAML file declares; none when it is not a template (or not valid YAML). */
export function parseTemplates(text: string, file: string): DeclaredTemplate[] {
  if (!DECLARES_TEMPLATE.test(text)) return [];
  const found: DeclaredTemplate[] = [];
  for (const document of yaml.parseAllDocuments(text)) {
    if (document.errors.length > 0) continue;
    const entity = document.toJS() as Record<string, unknown> | null;
    const metadata = entity?.metadata as { name?: unknown } | undefined;
    if (entity?.kind !== 'Template' || typeof metadata?.name !== 'string') {
      continue;
    }
    found.push({
      name: metadata.name,
      entity,
      ...declaredVersion(entity, metadata.name, file),
    });
  }
  return found;
}

function declaredVersion(
  entity: Record<string, unknown>,
  name: string,
  file: string,
): { version?: string; problem?: string } {
  const spec = entity.spec as { steps?: unknown } | undefined;
  const steps = Array.isArray(spec?.steps) ? spec.steps : [];
  const versions = new Set<unknown>();
  for (const step of steps as Array<Record<string, any> | null>) {
    if (step?.action !== 'fetch:template') continue;
    const value = step.input?.values?.templateVersion;
    if (value !== undefined) versions.add(value);
  }
  const where = `template ${name} (${file})`;
  if (versions.size === 0) {
    return {
      problem: `${where} declares no version: give its fetch:template steps input.values.templateVersion, e.g. '1.0.0'`,
    };
  }
  if (versions.size > 1) {
    return {
      problem: `${where}: its fetch:template steps declare different versions (${[
        ...versions,
      ]
        .map(v => JSON.stringify(v))
        .join(
          ', ',
        )}); give every step's input.values.templateVersion the same value`,
    };
  }
  const [version] = versions;
  if (typeof version !== 'string' || !isTemplateVersion(version)) {
    return {
      problem: `${where}: input.values.templateVersion ${JSON.stringify(
        version,
      )} is not a quoted MAJOR.MINOR.PATCH version; write it like '1.2.0'`,
    };
  }
  return { version };
}
