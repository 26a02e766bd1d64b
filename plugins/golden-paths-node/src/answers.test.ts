import { InputError } from '@backstage/errors';
import { parseRecordedAnswers } from './answers';

/** What templates/skeletons/payment-service/.template-answers.json renders to. */
const RECORDED = {
  template: {
    name: 'payment-service',
    ref: 'template:default/payment-service',
    version: '1.2.0',
  },
  answers: {
    name: 'payments-api',
    description: 'Card payments API',
    owner: 'group:default/payments',
    system: 'payments',
    tier: 'tier-1',
    pciScope: true,
    dataClassification: 'confidential',
    costCentre: 'CC-1001',
    regionPair: 'eu-west-1/eu-central-1',
    datastore: 'postgres',
    queue: 'none',
    publicHostname: null,
  },
  derived: {
    tags: ['payments', 'tier-1'],
    dr: { title: 'Tier 1', rtoMinutes: 30, rpoMinutes: 5, needs: [] },
  },
};

function withChange(edit: (doc: any) => void): string {
  const doc = JSON.parse(JSON.stringify(RECORDED));
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

function errorOf(text: string): Error {
  try {
    parseRecordedAnswers(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected parseRecordedAnswers to throw');
}

describe('parseRecordedAnswers', () => {
  it('reads the template, version and answers, keeping derived values out of the answers', () => {
    const parsed = parseRecordedAnswers(JSON.stringify(RECORDED, null, 2));
    expect(parsed.template).toEqual(RECORDED.template);
    expect(parsed.answers).toEqual(RECORDED.answers);
    expect(parsed.answers).not.toHaveProperty('tags');
    expect(parsed.answers).not.toHaveProperty('dr');
    expect(parsed.derived).toEqual(RECORDED.derived);
  });

  it('accepts a file without derived values', () => {
    const parsed = parseRecordedAnswers(withChange(doc => delete doc.derived));
    expect(parsed.derived).toBeUndefined();
    expect(parsed.answers.name).toBe('payments-api');
  });

  it('names the file and how to fix it when the JSON is invalid', () => {
    const error = errorOf('{ "template": { "name": "payment-service", }');
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^\.template-answers\.json is not valid JSON/,
    );
    expect(error.message).toMatch(/fix the file so it is a JSON object/);
  });

  it.each([
    [
      'template',
      (doc: any) => delete doc.template,
      /template is missing; add the template/,
    ],
    [
      'template.version',
      (doc: any) => delete doc.template.version,
      /template\.version is missing; set it to the template version/,
    ],
    [
      'template.version',
      (doc: any) => (doc.template.version = 1.2),
      /template\.version must be a string, not a number; .*"1\.2\.0"/,
    ],
    [
      'template.version',
      (doc: any) => (doc.template.version = 'latest'),
      /template\.version is "latest", not a version; write it as MAJOR\.MINOR\.PATCH/,
    ],
    [
      'template.name',
      (doc: any) => (doc.template.name = ''),
      /template\.name is empty; set it to the template's name/,
    ],
    [
      'template.ref',
      (doc: any) => (doc.template.ref = null),
      /template\.ref must be a string, not null; set it to the template's entity ref/,
    ],
    [
      'answers',
      (doc: any) => delete doc.answers,
      /answers is missing; set it to the answers the template was run with/,
    ],
    [
      'answers',
      (doc: any) => (doc.answers = ['payments-api']),
      /answers must be an object, not an array/,
    ],
    [
      'derived',
      (doc: any) => (doc.derived = 'tier-1'),
      /derived must be an object, not a string/,
    ],
  ])('rejects a bad %s with the field and the fix', (_field, edit, message) => {
    const error = errorOf(withChange(edit));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^\.template-answers\.json: /);
    expect(error.message).toMatch(message);
  });

  it('rejects a file that is not an object', () => {
    const error = errorOf('[]');
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/the file must be an object, not an array/);
  });
});
