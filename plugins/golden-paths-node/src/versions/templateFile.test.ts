import { parseTemplates } from './templateFile';

const steps = (...versions: string[]) =>
  versions
    .map(
      (v, i) => `    - id: fetch-${i}
      action: fetch:template
      input:
        values:
          ${v}`,
    )
    .join('\n');
const doc = (body: string, name = 'svc') => `kind: Template
metadata:
  name: ${name}
spec:
  steps:
${body}
`;

describe('parseTemplates', () => {
  it('reads the name and the version the fetch:template steps agree on', () => {
    const [found] = parseTemplates(
      doc(steps("templateVersion: '1.2.0'", "templateVersion: '1.2.0'")),
      'svc.yaml',
    );
    expect(found).toMatchObject({ name: 'svc', version: '1.2.0' });
    expect(found.problem).toBeUndefined();
  });

  it('ignores files that are not templates, or not YAML yet (skeletons)', () => {
    expect(
      parseTemplates(
        'kind: Component\nmetadata:\n  name: x\n',
        'catalog-info.yaml',
      ),
    ).toEqual([]);
    expect(
      parseTemplates(
        'kind: Template\nmetadata: ${{ values.x }\n  - [',
        'skeleton.yaml',
      ),
    ).toEqual([]);
  });

  it('names the field and the fix when the version is missing, disagrees or is not a quoted version', () => {
    expect(parseTemplates(doc(steps('name: x')), 'a.yaml')[0].problem).toBe(
      "template svc (a.yaml) declares no version: give its fetch:template steps input.values.templateVersion, e.g. '1.0.0'",
    );
    expect(
      parseTemplates(
        doc(steps("templateVersion: '1.0.0'", "templateVersion: '1.1.0'")),
        'a.yaml',
      )[0].problem,
    ).toMatch(
      /different versions \("1\.0\.0", "1\.1\.0"\); give every step's input\.values\.templateVersion the same value/,
    );
    expect(
      parseTemplates(doc(steps('templateVersion: 1.1')), 'a.yaml')[0],
    ).not.toHaveProperty('version');
    expect(
      parseTemplates(doc(steps('templateVersion: 1.1')), 'a.yaml')[0],
    ).toMatchObject({
      problem: expect.stringContaining(
        'input.values.templateVersion 1.1 is not a quoted MAJOR.MINOR.PATCH version',
      ),
    });
  });
});
