import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GeneratorRunOptions } from '@backstage/plugin-techdocs-node';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GuidedTechdocsGenerator } from './techdocsMkdocsGuidance';

const config = {
  techdocs: {
    generator: {
      runIn: 'local',
      mkdocs: { omitTechdocsCorePlugin: true, disableExternalFonts: true },
    },
  },
};

/**
 * Builds `work/input` into `work/site` in a separate Node process whose PATH is `pathEnv`: Jest
 * gives tests their own copy of process.env, which the generator's child_process never sees.
 * Resolves to the error message, or '' when the build succeeded.
 */
function buildWithPath(work: string, pathEnv: string): string {
  const script = `
    const { ConfigReader } = require('@backstage/config');
    const { ScmIntegrations } = require('@backstage/integration');
    const { GuidedTechdocsGenerator } = require(${JSON.stringify(
      require.resolve('./techdocsMkdocsGuidance'),
    )});
    const config = new ConfigReader(${JSON.stringify(config)});
    const logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger; } };
    new GuidedTechdocsGenerator({ logger, config, scmIntegrations: ScmIntegrations.fromConfig(config) })
      .run({ inputDir: ${JSON.stringify(
        path.join(work, 'input'),
      )}, outputDir: ${JSON.stringify(path.join(work, 'site'))},
             logger, siteOptions: { name: 'Runbook' } })
      .then(() => process.stdout.write(''), error => process.stdout.write(String(error.message)));
  `;
  const child = spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      '-e',
      script,
    ],
    {
      cwd: __dirname,
      env: { ...process.env, PATH: pathEnv },
      encoding: 'utf8',
    },
  );
  if (child.status !== 0)
    throw new Error(`the build process failed: ${child.stderr}`);
  return child.stdout;
}

describe('TechDocs builds that cannot run say what to install', () => {
  let work: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'techdocs-guidance-'));
    fs.mkdirSync(path.join(work, 'input/docs'), { recursive: true });
    fs.mkdirSync(path.join(work, 'bin'));
    fs.mkdirSync(path.join(work, 'site'));
    fs.writeFileSync(
      path.join(work, 'input/mkdocs.yml'),
      'site_name: Runbook\ntheme:\n  name: material\nplugins:\n  - search\n',
    );
    fs.writeFileSync(path.join(work, 'input/docs/index.md'), '# Runbook\n');
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('names the packages when mkdocs is not on PATH', () => {
    expect(buildWithPath(work, path.join(work, 'bin'))).toBe(
      "TechDocs cannot build this page: mkdocs is not installed on the portal's machine. Run 'apt-get install mkdocs mkdocs-material' as root (the start command does it when it runs as root), then reload the page.",
    );
  });

  it('names the packages when mkdocs has no Material theme', () => {
    // What Debian's mkdocs prints without mkdocs-material, as a stand-in first on PATH.
    const fake = path.join(work, 'bin/mkdocs');
    fs.writeFileSync(
      fake,
      "#!/bin/sh\necho \"ERROR   -  Config value 'theme': Unrecognised theme name: 'material'. The available installed themes are: mkdocs, readthedocs\" >&2\nexit 1\n",
    );
    fs.chmodSync(fake, 0o755);
    expect(
      buildWithPath(work, `${path.join(work, 'bin')}:${process.env.PATH}`),
    ).toContain(
      "mkdocs is installed without its Material theme. Run 'apt-get install mkdocs mkdocs-material' as root",
    );
  });

  it('builds as the stock generator does when mkdocs and Material are there', async () => {
    const reader = new ConfigReader(config);
    const logger = mockServices.logger.mock();
    await new GuidedTechdocsGenerator({
      logger,
      config: reader,
      scmIntegrations: ScmIntegrations.fromConfig(reader),
    }).run({
      inputDir: path.join(work, 'input'),
      outputDir: path.join(work, 'site'),
      logger: logger as unknown as GeneratorRunOptions['logger'],
      siteOptions: { name: 'Runbook' },
    });
    expect(
      fs.readFileSync(path.join(work, 'site/index.html'), 'utf8'),
    ).toContain('Runbook');
  });

  it('passes any other failure on as it was', () => {
    fs.writeFileSync(
      path.join(work, 'input/mkdocs.yml'),
      'site_name: Runbook\ntheme:\n  name: no-such-theme\n',
    );
    const message = buildWithPath(work, process.env.PATH!);
    expect(message).toMatch(/^Failed to generate docs from .*/);
    expect(message).not.toContain('apt-get install');
  });
});
