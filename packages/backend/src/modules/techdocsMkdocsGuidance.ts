import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import {
  GeneratorRunOptions,
  TechdocsGenerator,
  techdocsGeneratorExtensionPoint,
} from '@backstage/plugin-techdocs-node';
import { PassThrough } from 'node:stream';

const INSTALL = 'apt-get install mkdocs mkdocs-material';

/**
 * The TechDocs generator of the embedded default (mkdocs run locally), saying what to install when
 * the portal's machine cannot build docs, where the stock one shows "spawn mkdocs ENOENT" or
 * "exit code: 1" on the page.
 */
export class GuidedTechdocsGenerator extends TechdocsGenerator {
  async run(options: GeneratorRunOptions): Promise<void> {
    let log = '';
    const logStream = new PassThrough();
    logStream.on('data', chunk => {
      log = (log + String(chunk)).slice(-4000);
      options.logStream?.write(chunk);
    });
    try {
      await super.run({ ...options, logStream });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; path?: string } })
        .cause;
      if (cause?.code === 'ENOENT' && cause.path === 'mkdocs') {
        throw new Error(
          `TechDocs cannot build this page: mkdocs is not installed on the portal's machine. Run '${INSTALL}' as root (the start command does it when it runs as root), then reload the page.`,
        );
      }
      if (/Unrecognised theme name: 'material'/.test(log)) {
        throw new Error(
          `TechDocs cannot build this page: mkdocs is installed without its Material theme. Run '${INSTALL}' as root, then reload the page.`,
        );
      }
      throw error;
    }
  }
}

/** Installs GuidedTechdocsGenerator as the TechDocs backend's generator. */
export const techdocsModuleMkdocsGuidance = createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'mkdocs-guidance',
  register(env) {
    env.registerInit({
      deps: {
        generators: techdocsGeneratorExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ generators, config, logger }) {
        generators.setTechdocsGenerator(
          new GuidedTechdocsGenerator({
            logger,
            config,
            scmIntegrations: ScmIntegrations.fromConfig(config),
          }),
        );
      },
    });
  },
});
