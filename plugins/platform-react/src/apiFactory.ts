import {
  ApiFactory,
  ApiRef,
  createApiFactory,
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { BackendClientOptions } from './BackendClient';

/**
 * The factory of a plugin's API client over its backend (see BackendClient), for both frontend
 * systems: `createPlugin({ apis: [factory] })` and `ApiBlueprint.make({ params: define =>
 * define(factory) })`.
 */
export function backendClientFactory<TApi>(
  api: ApiRef<TApi>,
  create: (options: BackendClientOptions) => TApi,
): ApiFactory<TApi, TApi, { discoveryApi: DiscoveryApi; fetchApi: FetchApi }> {
  return createApiFactory({
    api,
    deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
    factory: ({ discoveryApi, fetchApi }) => create({ discoveryApi, fetchApi }),
  });
}
