import { ParameterField } from '@internal/golden-paths-common';

/** What the form holds for each field: text for text and number inputs, true/false for switches. */
export type FormValues = Record<string, string | boolean>;

/** How a field is named to its reader: its title, else its name. */
export const fieldLabel = (field: ParameterField) => field.title ?? field.name;

const isNumeric = (field: ParameterField) =>
  field.type === 'number' || field.type === 'integer';

/**
 * The form's first values: the plan's answers (recorded, and new parameters with their
 * defaults), else the field's default.
 */
export function initialValues(
  fields: ParameterField[],
  answers: Record<string, unknown>,
): FormValues {
  return Object.fromEntries(
    fields.map(field => {
      const value = answers[field.name] ?? field.default;
      if (field.type === 'boolean') {
        return [field.name, value === true];
      }
      return [
        field.name,
        value === undefined || value === null ? '' : String(value),
      ];
    }),
  );
}

/**
 * What is wrong with each field, by name: a required field left empty, a number that is not
 * one, text not matching the template's pattern. Each message names the field and says what
 * fits, as the scaffolder would when the proposal runs.
 */
export function validate(
  fields: ParameterField[],
  values: FormValues,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    const label = fieldLabel(field);
    if (field.type === 'boolean' || typeof value !== 'string') {
      continue;
    }
    const text = value.trim();
    if (!text) {
      if (field.required) {
        errors[field.name] = `${label} is required.`;
      }
      continue;
    }
    if (isNumeric(field)) {
      const number = Number(text);
      if (!Number.isFinite(number)) {
        errors[field.name] = `${label} must be a number, e.g. ${
          field.default ?? 1
        }.`;
      } else if (field.type === 'integer' && !Number.isInteger(number)) {
        errors[field.name] = `${label} must be a whole number.`;
      }
      continue;
    }
    if (field.pattern && !new RegExp(field.pattern).test(text)) {
      errors[field.name] = `${label} must match the pattern ${field.pattern}${
        field.default ? ` (e.g. ${field.default})` : ''
      }.`;
    }
  }
  return errors;
}

/** The answers the form gives: numbers as numbers, enum values as their own type; empty left out. */
export function formAnswers(
  fields: ParameterField[],
  values: FormValues,
): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (typeof value === 'boolean') {
      answers[field.name] = value;
    } else if (value === undefined || value.trim() === '') {
      continue;
    } else if (field.enum) {
      answers[field.name] =
        field.enum.find(option => String(option) === value) ?? value;
    } else {
      answers[field.name] = isNumeric(field) ? Number(value) : value.trim();
    }
  }
  return answers;
}
