import type { ParameterField } from '@internal/golden-paths-common';

type JsonObject = Record<string, unknown>;

const FIELD_TYPES = new Set<ParameterField['type']>([
  'string',
  'boolean',
  'number',
  'integer',
]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A template's form steps: `spec.parameters` is one step (an object) or a list of them. */
function stepsOf(template: JsonObject): JsonObject[] {
  const spec = isObject(template.spec) ? template.spec : {};
  const parameters = spec.parameters;
  if (Array.isArray(parameters)) return parameters.filter(isObject);
  return isObject(parameters) ? [parameters] : [];
}

/** One property of a step, as the upgrade form renders it; undefined for lists and objects, which it cannot ask. */
function fieldOf(
  name: string,
  property: JsonObject,
  required: boolean,
): ParameterField | undefined {
  const type = (property.type ?? 'string') as ParameterField['type'];
  if (!FIELD_TYPES.has(type)) return undefined;
  const field: ParameterField = { name, type, required };
  if (typeof property.title === 'string') field.title = property.title;
  if (typeof property.description === 'string')
    field.description = property.description;
  if (Array.isArray(property.enum))
    field.enum = property.enum as ParameterField['enum'];
  if (Array.isArray(property.enumNames))
    field.enumNames = property.enumNames.map(String);
  if (property.default !== undefined) field.default = property.default;
  if (typeof property.pattern === 'string') field.pattern = property.pattern;
  return field;
}

/** What a template's form asks: every step's properties, and which of them are required. */
export interface TemplateParameters {
  /** Every property by name (lists and objects included, for their defaults). */
  properties: Map<string, JsonObject>;
  required: Set<string>;
}

export function templateParameters(template: JsonObject): TemplateParameters {
  const properties = new Map<string, JsonObject>();
  const required = new Set<string>();
  for (const step of stepsOf(template)) {
    if (isObject(step.properties)) {
      for (const [name, property] of Object.entries(step.properties)) {
        if (isObject(property) && !properties.has(name))
          properties.set(name, property);
      }
    }
    if (Array.isArray(step.required)) {
      for (const name of step.required)
        if (typeof name === 'string') required.add(name);
    }
  }
  return { properties, required };
}

/**
 * The parameters the target version asks that the recorded answers lack (what the upgrade form
 * asks), and the answers with those parameters' defaults filled in.
 */
export function newParametersOf(
  parameters: TemplateParameters,
  recorded: Record<string, unknown>,
): { fields: ParameterField[]; answers: Record<string, unknown> } {
  const fields: ParameterField[] = [];
  const answers: Record<string, unknown> = { ...recorded };
  for (const [name, property] of parameters.properties) {
    if (name in recorded) continue;
    if (property.default !== undefined) answers[name] = property.default;
    const field = fieldOf(name, property, parameters.required.has(name));
    if (field) fields.push(field);
  }
  return { fields, answers };
}

/** A required parameter with no usable answer (undefined, null or an empty string). */
export function missingRequired(
  parameters: TemplateParameters,
  answers: Record<string, unknown>,
): string[] {
  return [...parameters.required].filter(name => {
    const value = answers[name];
    return value === undefined || value === null || value === '';
  });
}
