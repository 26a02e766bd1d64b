import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { goldenPathsPlugin } from './plugin';

describe('goldenPathsPlugin', () => {
  it('starts with its migrations and serves the fleet under /api/golden-paths', async () => {
    const backend = await startTestBackend({
      features: [
        goldenPathsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            goldenPaths: { templates: { directory: '../../templates' } },
          },
        }),
      ],
    });
    const { server } = backend;
    const fleet = await request(server)
      .get('/api/golden-paths/fleet')
      .expect(200);
    expect(fleet.body).toEqual({ templates: [], services: [] });
    // Reads are for signed-in people: another plugin's token is not enough.
    await request(server)
      .get('/api/golden-paths/fleet')
      .set('Authorization', 'Bearer mock-service-token')
      .expect(403);
    await backend.stop();
  });
});
