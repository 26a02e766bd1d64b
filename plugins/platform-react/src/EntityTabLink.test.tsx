import { screen } from '@testing-library/react';
import { renderInTestApp as renderInLegacyTestApp } from '@backstage/test-utils';
import { renderTestApp } from '@backstage/frontend-test-utils';
import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { createEntityPageRouteRef, EntityTabLink } from './EntityTabLink';
import { catalogStandIn, entityPageRoutes } from './__testUtils__';

const entityPage = createEntityPageRouteRef('example');

const Links = () => (
  <>
    <EntityTabLink
      entityPage={entityPage}
      tabPath="dr"
      entityRef="component:default/ledger-writer"
      query={{ control: 'dynamodb-pitr', absent: undefined }}
    >
      Ledger Writer
    </EntityTabLink>
    <EntityTabLink
      entityPage={entityPage}
      tabPath="slo"
      entityRef="system:payments/ledger"
    >
      Ledger
    </EntityTabLink>
  </>
);

// A whole app renders: slow on a busy machine.
jest.setTimeout(20_000);

describe('EntityTabLink', () => {
  it('links to the tab where a legacy app binds the entity pages', async () => {
    await renderInLegacyTestApp(<Links />, {
      mountedRoutes: entityPageRoutes(entityPage),
    });
    expect(screen.getByRole('link', { name: 'Ledger Writer' })).toHaveAttribute(
      'href',
      '/catalog/default/component/ledger-writer/dr?control=dynamodb-pitr',
    );
    expect(screen.getByRole('link', { name: 'Ledger' })).toHaveAttribute(
      'href',
      '/catalog/payments/system/ledger/slo',
    );
  });

  it('is plain text where the app binds no entity pages', async () => {
    await renderInLegacyTestApp(<Links />);
    expect(screen.getByText('Ledger Writer')).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  // Last: the new frontend system names the ref ('example.entityPage'), after which the legacy
  // test app no longer takes it for an external ref.
  it('links to the catalog’s entity pages by default in the new frontend system', async () => {
    const plugin = createFrontendPlugin({
      pluginId: 'example',
      externalRoutes: { entityPage },
      extensions: [
        PageBlueprint.make({
          params: { path: '/example', loader: async () => <Links /> },
        }),
      ],
    });
    renderTestApp({
      features: [plugin, catalogStandIn],
      initialRouteEntries: ['/example'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByRole(
        'link',
        { name: 'Ledger Writer' },
        { timeout: 15_000 },
      ),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/ledger-writer/dr?control=dynamodb-pitr',
    );
  });
});
