import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GeneratorRunOptions,
  TechdocsGenerator,
} from '@backstage/plugin-techdocs-node';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import yaml from 'yaml';

const REPO = resolvePackagePath('backend', '../..');

/** The embedded default's TechDocs settings (app-config.yaml `techdocs`), as the backend reads them. */
export function embeddedTechdocsConfig(): ConfigReader {
  const appConfig = yaml.parse(
    fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
  );
  return new ConfigReader({ techdocs: appConfig.techdocs });
}

/** Fails with the fix when the machine cannot build TechDocs the way the embedded default does. */
export function assertMkdocsWithMaterial(): void {
  let help = '';
  try {
    help = execFileSync('mkdocs', ['build', '--help'], { encoding: 'utf8' });
  } catch {
    // mkdocs is not on PATH: the message below says what to install.
  }
  if (!/\bmaterial\b/.test(help)) {
    throw new Error(
      'TechDocs need mkdocs with the material theme on PATH (the embedded default runs them locally): ' +
        'apt-get install mkdocs mkdocs-material, as scripts/mkdocs.sh does for the start and test commands.',
    );
  }
}

export interface BuiltTechDocs {
  /** Where the site was written. */
  outputDir: string;
  /** mkdocs.yml as the generator left it in the (copied) input directory. */
  mkdocsYmlAfter: string;
  /** What the generator warned about (removed keys or plugins, ...). */
  warnings: string[];
}

/**
 * Builds one TechDocs site exactly as the embedded default does on a first view: the TechDocs
 * generator of @backstage/plugin-techdocs-node with app-config.yaml's settings, running the mkdocs
 * on PATH. The input is copied first: for `dir:` annotations the backend builds in place, and
 * the caller compares the generator's rewrite of mkdocs.yml with the committed file.
 */
export async function buildTechDocs(
  inputDir: string,
  siteName: string,
): Promise<BuiltTechDocs> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'techdocs-test-'));
  const input = path.join(work, 'input');
  const outputDir = path.join(work, 'site');
  fs.cpSync(inputDir, input, { recursive: true });
  fs.mkdirSync(outputDir);
  const logger = mockServices.logger.mock();
  let log = '';
  const logStream = new PassThrough();
  logStream.on('data', chunk => {
    log += String(chunk);
  });
  try {
    await TechdocsGenerator.fromConfig(embeddedTechdocsConfig(), {
      logger,
    }).run({
      inputDir: input,
      outputDir,
      // run() still types its logger as winston's; it only logs through info, warn and debug.
      logger: logger as unknown as GeneratorRunOptions['logger'],
      logStream,
      siteOptions: { name: siteName },
    });
  } catch (error) {
    throw new Error(
      `TechDocs of ${inputDir} did not build: ${String(error)}\n${log}`,
    );
  }
  return {
    outputDir,
    mkdocsYmlAfter: fs.readFileSync(path.join(input, 'mkdocs.yml'), 'utf8'),
    warnings: logger.warn.mock.calls.map(call => String(call[0])),
  };
}
