import { render, screen } from '@testing-library/react';
import { DefinitionProblems } from './DefinitionProblems';

const source = 'catalog/slos/checkout.yaml';
const entityRef = 'component:default/checkout';

describe('DefinitionProblems', () => {
  it('lists a defaulted field as a warning, apart from the definitions that could not be used', () => {
    render(
      <DefinitionProblems
        problems={[
          {
            entityRef,
            source,
            message: `${source}: document 0 (SLO checkout-availability): spec.timeWindow is missing, so this SLO uses a 28d rolling window; write timeWindow: [{ duration: 28d, isRolling: true }] (or the window you mean) to make it explicit`,
            severity: 'warning',
          },
          {
            entityRef,
            source,
            message: `${source}: document 1 (SLO checkout-latency): spec.objectivs is not a field (did you mean objectives?)`,
          },
        ]}
      />,
    );
    const errors = screen.getByRole('alert', {
      name: 'One SLO definition could not be used',
    });
    expect(errors).toHaveTextContent('spec.objectivs is not a field');
    expect(errors).not.toHaveTextContent('spec.timeWindow');
    const warnings = screen.getByRole('alert', {
      name: 'One SLO definition uses a default',
    });
    expect(warnings).toHaveTextContent(
      'spec.timeWindow is missing, so this SLO uses a 28d rolling window',
    );
    expect(warnings).toHaveTextContent('These SLOs are evaluated');
  });
});
