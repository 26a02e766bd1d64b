import { render, screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { useRouteRef } from '@backstage/core-plugin-api';
import { createApiRef, createRouteRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { backendClientFactory } from './apiFactory';
import { BackendClientOptions } from './BackendClient';
import { createQueryState } from './QueryState';
import { subRouteRefs } from './routes';
import { createApiQueryHook } from './useApiQuery';
import { useCurrentEntity } from './useCurrentEntity';

interface ExampleApi {
  greeting(): Promise<string>;
}
const exampleApiRef = createApiRef<ExampleApi>({ id: 'plugin.example.api' });
const useExampleQuery = createApiQueryHook(exampleApiRef);
const ExampleQueryState = createQueryState('Ask the example team.');

const Greeting = () => {
  const greeting = useExampleQuery(api => api.greeting(), []);
  return (
    <ExampleQueryState query={greeting} subject="the greeting">
      {value => <span>{value}</span>}
    </ExampleQueryState>
  );
};

describe('what a plugin is made of', () => {
  it('makes its API client from discovery and fetch, in either frontend system', () => {
    const create = jest.fn((options: BackendClientOptions) => ({
      greeting: async () => String(Object.keys(options)),
    }));
    const factory = backendClientFactory(exampleApiRef, create);
    expect(factory.api).toBe(exampleApiRef);
    expect(Object.keys(factory.deps)).toEqual(['discoveryApi', 'fetchApi']);
    const discoveryApi = { getBaseUrl: jest.fn() };
    const fetchApi = { fetch: jest.fn() };
    factory.factory({ discoveryApi, fetchApi });
    expect(create).toHaveBeenCalledWith({ discoveryApi, fetchApi });
  });

  it('loads through its query hook and shows it with its QueryState, saying who may see it', async () => {
    render(
      <TestApiProvider
        apis={[[exampleApiRef, { greeting: async () => 'hello' }]]}
      >
        <Greeting />
      </TestApiProvider>,
    );
    expect(await screen.findByText('hello')).toBeInTheDocument();

    const forbidden = Object.assign(new Error('no'), {
      name: 'ResponseError',
      response: { status: 403 },
    });
    render(
      <TestApiProvider
        apis={[[exampleApiRef, { greeting: () => Promise.reject(forbidden) }]]}
      >
        <Greeting />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'You are not allowed to see the greeting. Ask the example team.',
      ),
    ).toBeInTheDocument();
  });

  it('names its page views below its root', async () => {
    const rootRouteRef = createRouteRef({ id: 'example' });
    const view = subRouteRefs(rootRouteRef);
    const productRouteRef = view('example/product', '/products/:product');
    const Link = () => (
      <span>{useRouteRef(productRouteRef)({ product: 'ledger' })}</span>
    );
    await renderInTestApp(<Link />, {
      mountedRoutes: { '/example': rootRouteRef },
    });
    expect(screen.getByText('/example/products/ledger')).toBeInTheDocument();
  });

  it('knows the entity of the page it is on', () => {
    const Entity = () => {
      const { entityRef, title } = useCurrentEntity();
      return (
        <span>
          {entityRef} {title}
        </span>
      );
    };
    render(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'System',
          metadata: { name: 'ledger', title: 'Ledger' },
        }}
      >
        <Entity />
      </EntityProvider>,
    );
    expect(
      screen.getByText('system:default/ledger Ledger'),
    ).toBeInTheDocument();
  });
});
