import { Route, Routes, useLocation } from 'react-router-dom';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { UpgradePlan } from '@internal/golden-paths-common';
import { aPlan, LEDGER_REF } from '../../__testUtils__/fixtures';
import {
  backendError,
  mockGoldenPathsApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { EntityGoldenPathCard } from './EntityGoldenPathCard';

jest.setTimeout(20_000);

const ledgerWriter: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ledger-writer',
    annotations: {
      'backstage.io/source-template': 'template:default/payment-service',
      'payments-platform/template-version': '1.2.0',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'ledger-team' },
};

/** Where the upgrade button went. */
const Landed = () => {
  const location = useLocation();
  return <p>Upgrade page at {`${location.pathname}${location.search}`}</p>;
};

function renderCard(plan: Promise<UpgradePlan>) {
  const api = mockGoldenPathsApi({
    getPlan: jest.fn((_entityRef: string, _toVersion?: string) => plan),
  });
  const rendered = renderWithApi(
    <Routes>
      <Route
        path="/"
        element={
          <EntityProvider entity={ledgerWriter}>
            <EntityGoldenPathCard />
          </EntityProvider>
        }
      />
      <Route path="/golden-paths/upgrade" element={<Landed />} />
    </Routes>,
    api,
  );
  return { api, rendered };
}

async function card() {
  return within(await screen.findByRole('region', { name: 'Golden path' }));
}

describe('EntityGoldenPathCard', () => {
  it('shows template, version, latest and how far behind; the upgrade button opens the upgrade page', async () => {
    const { api, rendered } = renderCard(Promise.resolve(aPlan()));
    await rendered;

    expect(api.getPlan).toHaveBeenCalledWith(LEDGER_REF);
    const golden = await card();
    const button = await golden.findByRole('button', {
      name: 'Upgrade to 1.3.0',
    });
    expect(golden.getByText('payment-service')).toBeInTheDocument();
    expect(golden.getByText('1.2.0')).toBeInTheDocument();
    expect(golden.getByText('1 version behind')).toBeInTheDocument();
    expect(golden.getByText('none')).toBeInTheDocument();
    expect(button).toBeEnabled();

    await userEvent.click(button);
    expect(
      await screen.findByText(
        `Upgrade page at /golden-paths/upgrade?entityRef=${encodeURIComponent(
          LEDGER_REF,
        )}`,
      ),
    ).toBeInTheDocument();
  });

  it('offers the newest of several releases', async () => {
    await renderCard(
      Promise.resolve(
        aPlan({
          fromVersion: '1.1.0',
          newerVersions: ['1.2.0', '1.3.0'],
        }),
      ),
    ).rendered;
    const golden = await card();
    expect(
      await golden.findByRole('button', { name: 'Upgrade to 1.3.0' }),
    ).toBeEnabled();
    expect(golden.getByText('2 versions behind')).toBeInTheDocument();
  });

  it('disables the button with the reason when the service is current', async () => {
    await renderCard(
      Promise.resolve(
        aPlan({ fromVersion: '1.3.0', newerVersions: [], newParameters: [] }),
      ),
    ).rendered;
    const golden = await card();
    const button = await golden.findByRole('button', {
      name: 'Upgrade to 1.3.0',
    });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'Already on the latest version of payment-service (1.3.0).',
    );
    expect(golden.getByText('current')).toBeInTheDocument();
  });

  it('disables the button while a proposal is open and links to it', async () => {
    await renderCard(
      Promise.resolve(
        aPlan({
          openProposal: {
            id: 'p-ledger',
            toVersion: '1.3.0',
            status: 'conflicts',
          },
        }),
      ),
    ).rendered;
    const golden = await card();
    const button = await golden.findByRole('button', {
      name: 'Upgrade to 1.3.0',
    });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'A proposed change to 1.3.0 is open: review, merge or close it before proposing another.',
    );
    expect(golden.getByText('conflicts')).toBeInTheDocument();
    expect(
      golden.getByRole('link', { name: 'Review the open proposal' }),
    ).toHaveAttribute('href', '/golden-paths/proposals/p-ledger');
  });

  it("shows the backend's reason when the golden path cannot be read", async () => {
    await renderCard(
      backendError(
        400,
        'InputError',
        '.template-answers.json is missing from the repository; add it or recreate the service from its template',
      ).then(error => Promise.reject(error)),
    ).rendered;
    const golden = await card();
    expect(
      await golden.findByText(
        "Could not read this service's golden path: .template-answers.json is missing from the repository; add it or recreate the service from its template",
      ),
    ).toBeInTheDocument();
    expect(golden.queryByRole('button', { name: /Upgrade/ })).toBeNull();
  });
});
