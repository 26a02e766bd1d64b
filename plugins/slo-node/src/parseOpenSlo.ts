import {
  isCollection,
  isNode,
  isSeq,
  LineCounter,
  parseAllDocuments,
} from 'yaml';
import {
  FIELDS,
  FileContext,
  OPENSLO_API_VERSION,
  OPENSLO_KINDS,
  OpenSloKind,
  OPERATORS,
  present,
  readMetadata,
} from './openSloFields';
import {
  FieldPath,
  isMapping,
  nearMiss,
  ObjectCheck,
  ObjectPlace,
} from './objectCheck';
import { AlertObjects, resolveAlertWindows } from './alertPolicies';
import { SPEC_READERS } from './readAlerting';
import { IndicatorDraft, readSliSpec } from './readSli';
import { ObjectiveDraft, readSloSpec, SloDraft } from './readSlo';
import type {
  SloDefinition,
  SloIndicator,
  SloProblem,
  SloSource,
  ThresholdOperator,
} from '@internal/slo-common';

/** What parseOpenSlo returns: the valid SLOs, and one entry per mistake in the others. */
export interface OpenSloParseResult {
  slos: SloDefinition[];
  problems: SloProblem[];
}

interface ReadObject {
  check: ObjectCheck;
  source: SloSource;
  kind?: OpenSloKind;
  name?: string;
  slo?: SloDraft;
  sli?: IndicatorDraft;
}

function isKind(value: unknown): value is OpenSloKind {
  return (OPENSLO_KINDS as readonly unknown[]).includes(value);
}

function readObject(read: ReadObject, value: unknown, context: FileContext) {
  const { check } = read;
  // Name the object in every message, including those about its first fields.
  if (isMapping(value)) {
    if (isKind(value.kind)) check.kind = value.kind;
    if (isMapping(value.metadata) && typeof value.metadata.name === 'string') {
      check.name = value.metadata.name;
    }
  }
  const object = check.mapping(value, [], FIELDS.object);
  if (!object) return;

  if (!present(object.apiVersion)) {
    check.report(
      ['apiVersion'],
      'required',
      `is missing; add apiVersion: ${OPENSLO_API_VERSION}`,
    );
  } else if (object.apiVersion !== OPENSLO_API_VERSION) {
    check.reportValue(
      ['apiVersion'],
      object.apiVersion,
      'api-version',
      `is not supported; write apiVersion: ${OPENSLO_API_VERSION} and use the v1 fields`,
    );
  }
  if (!present(object.kind)) {
    check.report(
      ['kind'],
      'required',
      `is missing; add kind: SLO (or ${OPENSLO_KINDS.slice(1).join(', ')})`,
    );
  } else if (!isKind(object.kind)) {
    const meant =
      typeof object.kind === 'string'
        ? nearMiss(object.kind, OPENSLO_KINDS)
        : undefined;
    check.reportValue(
      ['kind'],
      object.kind,
      'kind',
      `is not an OpenSLO v1 kind; ${
        meant ? `write ${meant}` : `use one of ${OPENSLO_KINDS.join(', ')}`
      }`,
    );
  }
  const metadata = readMetadata(check, object.metadata, ['metadata']);
  read.name = metadata?.name;
  if (!isKind(object.kind)) return;
  read.kind = object.kind;

  if (!present(object.spec)) {
    if (object.kind !== 'Service') {
      check.report(
        ['spec'],
        'required',
        `is missing; add the ${object.kind} spec`,
      );
    }
    return;
  }
  if (object.kind === 'SLO') {
    read.slo = readSloSpec(check, object.spec, metadata, context);
  } else if (object.kind === 'SLI') {
    const named = {
      name: metadata?.name ?? '',
      ...(metadata?.displayName ? { displayName: metadata.displayName } : {}),
    };
    read.sli = readSliSpec(check, object.spec, ['spec'], named, context);
  } else {
    SPEC_READERS[object.kind](check, object.spec, ['spec']);
  }
}

/** A threshold SLI takes its op and value from the SLO's only objective; a ratio SLI takes neither. */
function completeIndicator(
  check: ObjectCheck,
  indicator: IndicatorDraft,
  objectives: ObjectiveDraft[],
): SloIndicator | undefined {
  const path = ['spec', 'objectives'];
  if (indicator.kind !== 'threshold') {
    objectives.forEach((objective, index) => {
      for (const field of ['op', 'value'] as const) {
        if (present(objective[field])) {
          check.reportValue(
            [...path, index, field],
            objective[field],
            'conflict',
            `is only for threshold SLIs (thresholdMetric); remove it: a ratio SLI counts good events itself`,
          );
        }
      }
    });
    return indicator;
  }
  if (objectives.length !== 1) {
    check.report(
      path,
      'range',
      `has ${objectives.length} objectives, but a threshold SLI allows exactly one (one op and value)`,
    );
    return undefined;
  }
  const [objective] = objectives;
  let op: ThresholdOperator | undefined;
  if (present(objective.op)) {
    op = check.oneOf(objective.op, [...path, 0, 'op'], OPERATORS);
  } else {
    check.report(
      [...path, 0, 'op'],
      'required',
      'is missing; a threshold SLI needs op (lte, lt, gte or gt) and value, e.g. op: lte with value: 0.3',
    );
  }
  let value: number | undefined;
  if (present(objective.value)) {
    value = check.optionalNumber(objective.value, [...path, 0, 'value']);
  } else {
    check.report(
      [...path, 0, 'value'],
      'required',
      'is missing; add the threshold the SLI is compared with, e.g. value: 0.3',
    );
  }
  if (op === undefined || value === undefined) return undefined;
  return { ...indicator, op, value };
}

function resolveSlo(
  read: ReadObject,
  draft: SloDraft,
  slis: Map<string, ReadObject>,
): SloDefinition | undefined {
  const { check } = read;
  let indicator = draft.indicator;
  if (draft.indicatorRef !== undefined) {
    const refPath = ['spec', 'indicatorRef'];
    const sli = slis.get(draft.indicatorRef);
    if (!sli) {
      const meant = nearMiss(draft.indicatorRef, [...slis.keys()]);
      check.reportValue(
        refPath,
        draft.indicatorRef,
        'reference',
        `names no SLI in this file; ${
          meant
            ? `did you mean ${meant}?`
            : 'add the SLI to this file or write it inline under indicator'
        }`,
      );
    } else if (!sli.sli || sli.check.failed) {
      check.reportValue(
        refPath,
        draft.indicatorRef,
        'reference',
        `names the SLI in document ${sli.source.document}, which has problems; fix those first`,
      );
    } else {
      indicator = sli.sli;
    }
  }
  const complete =
    indicator && completeIndicator(check, indicator, draft.objectives);
  const objectives = draft.objectives.flatMap(o =>
    o.objective ? [o.objective] : [],
  );
  const { metadata, service, window, budgetingMethod } = draft;
  if (
    check.failed ||
    !complete ||
    !metadata ||
    !service ||
    !window ||
    !budgetingMethod
  ) {
    return undefined;
  }
  return {
    name: metadata.name,
    ...(metadata.displayName ? { displayName: metadata.displayName } : {}),
    ...(draft.description ? { description: draft.description } : {}),
    service,
    labels: metadata.labels,
    annotations: metadata.annotations,
    window,
    budgetingMethod,
    objectives,
    indicator: complete,
    alertPolicies: draft.alertPolicies,
    source: read.source,
  };
}

/** The line finder for one object: the line of the deepest node on the path that exists. */
function lineFinder(root: unknown, lineCounter: LineCounter) {
  return (path: FieldPath): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      let node: unknown = root;
      if (depth > 0)
        node = isCollection(root)
          ? root.getIn(path.slice(0, depth), true)
          : undefined;
      if (isNode(node) && node.range)
        return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

function dataSourceFields(
  objects: Array<{ value: unknown }>,
  field: (spec: Record<string, unknown>) => unknown,
): Map<string, string> {
  const fields = new Map<string, string>();
  for (const { value } of objects) {
    if (!isMapping(value) || value.kind !== 'DataSource') continue;
    const { metadata, spec } = value;
    if (!isMapping(metadata) || !isMapping(spec)) continue;
    const found = field(spec);
    if (typeof metadata.name === 'string' && typeof found === 'string') {
      fields.set(metadata.name, found);
    }
  }
  return fields;
}

/** The SLO with its alert windows and its DataSource's URL, where the file has them. */
function withFileFacts(
  slo: SloDefinition,
  alertWindows: SloDefinition['alertWindows'],
  dataSourceUrls: Map<string, string>,
): SloDefinition {
  const { source } = slo.indicator;
  const url =
    source.dataSource === undefined
      ? undefined
      : dataSourceUrls.get(source.dataSource);
  return {
    ...slo,
    ...(alertWindows ? { alertWindows } : {}),
    ...(url
      ? { indicator: { ...slo.indicator, source: { ...source, url } } }
      : {}),
  };
}

/** The objects by kind and name (reporting duplicates): SLIs and alert objects for references. */
function indexByName(objects: Array<{ value: unknown; read: ReadObject }>) {
  const firstByName = new Map<string, ReadObject>();
  const slis = new Map<string, ReadObject>();
  const alertObjects: AlertObjects = {
    policies: new Map(),
    conditions: new Map(),
  };
  for (const { read, value } of objects) {
    if (!read.kind || !read.name) continue;
    const key = `${read.kind}/${read.name}`;
    const first = firstByName.get(key);
    if (first) {
      const item =
        first.source.item === undefined ? '' : `, item ${first.source.item}`;
      read.check.reportValue(
        ['metadata', 'name'],
        read.name,
        'duplicate',
        `is already the name of the ${read.kind} in document ${first.source.document}${item}; give each ${read.kind} its own name`,
      );
      continue;
    }
    firstByName.set(key, read);
    if (read.kind === 'SLI') slis.set(read.name, read);
    if (read.kind === 'AlertPolicy' || read.kind === 'AlertCondition') {
      const named = {
        spec: isMapping(value) ? value.spec : undefined,
        failed: read.check.failed,
        document: read.source.document,
      };
      if (read.kind === 'AlertPolicy')
        alertObjects.policies.set(read.name, named);
      else alertObjects.conditions.set(read.name, named);
    }
  }
  return { slis, alertObjects };
}

/**
 * Reads an OpenSLO v1 file (one or more YAML documents, each an object or a list of objects),
 * validates every object, resolves indicatorRef to SLIs in the same file and returns the valid
 * SLOs. A bad document never hides the others: each mistake is one problem naming the file,
 * document, path, value and fix, and every valid SLO is still returned.
 */
export function parseOpenSlo(text: string, file: string): OpenSloParseResult {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
  });
  const problems: SloProblem[] = [];
  const objects: Array<{ value: unknown; read: ReadObject }> = [];

  documents.forEach((doc, document) => {
    if (doc.errors.length > 0) {
      const check = new ObjectCheck({
        file,
        document,
        lineOf: () => lineCounter.linePos(doc.errors[0].pos[0]).line,
      });
      for (const error of doc.errors) {
        const { line } = lineCounter.linePos(error.pos[0]);
        check.report(
          [],
          'yaml',
          `is not valid YAML at line ${line}: ${error.message}; nothing in this document was read`,
        );
      }
      problems.push(...check.problems);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // Alias bombs and similar fail here, after parsing; the document is skipped like a syntax error.
      const check = new ObjectCheck({
        file,
        document,
        lineOf: () => undefined,
      });
      check.report([], 'yaml', `cannot be read: ${(error as Error).message}`);
      problems.push(...check.problems);
      return;
    }
    // An empty document (a stray --- or only comments) holds nothing to check.
    if (value === null || value === undefined) return;
    const add = (objectValue: unknown, node: unknown, item?: number) => {
      const lineOf = lineFinder(node, lineCounter);
      const place: ObjectPlace = {
        file,
        document,
        ...(item === undefined ? {} : { item }),
        lineOf,
      };
      const line = lineOf([]);
      const source: SloSource = {
        file,
        document,
        ...(item === undefined ? {} : { item }),
        ...(line ? { line } : {}),
      };
      objects.push({
        value: objectValue,
        read: { check: new ObjectCheck(place), source },
      });
    };
    const { contents } = doc;
    if (Array.isArray(value) && isSeq(contents)) {
      value.forEach((objectValue, item) =>
        add(objectValue, contents.items[item], item),
      );
    } else {
      add(value, contents);
    }
  });

  const context: FileContext = {
    dataSourceTypes: dataSourceFields(objects, spec => spec.type),
  };
  const dataSourceUrls = dataSourceFields(objects, spec =>
    isMapping(spec.connectionDetails) ? spec.connectionDetails.url : undefined,
  );
  for (const { value, read } of objects) readObject(read, value, context);

  const { slis, alertObjects } = indexByName(objects);

  const slos: SloDefinition[] = [];
  for (const { read, value } of objects) {
    if (!read.slo) continue;
    const written =
      isMapping(value) && isMapping(value.spec)
        ? value.spec.alertPolicies
        : undefined;
    const alertWindows = read.check.failed
      ? undefined
      : resolveAlertWindows(read.check, written, alertObjects);
    const slo = resolveSlo(read, read.slo, slis);
    if (slo) slos.push(withFileFacts(slo, alertWindows, dataSourceUrls));
  }
  for (const { read } of objects) problems.push(...read.check.problems);
  problems.sort(
    (a, b) => a.document - b.document || (a.item ?? 0) - (b.item ?? 0),
  );
  return { slos, problems };
}
