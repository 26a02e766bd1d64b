#!/usr/bin/env node
/*
 * `yarn golden:lockfiles`: the committed package-lock.json of every dependency set a golden path
 * renders. The skeleton's package.json is Nunjucks: its dependencies depend on the answers
 * (datastore, queue, source...). This renders it for every answer it reads, and for each distinct
 * dependency set writes templates/skeletons/<template>/.lockfiles/<hash>.json with
 *   npm install --package-lock-only --ignore-scripts --omit-lockfile-registry-resolved
 * (no registry host is recorded: npm ci resolves against whatever registry the user's npm uses).
 * The scaffolder action payments:lockfile:select keeps the matching one as package-lock.json.
 *
 * Re-runnable: an existing lockfile seeds npm, so versions move only where package.json changed.
 * `--check` only reports the dependency sets without a lockfile (no network), exit 1 if any.
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const yaml = require('yaml');
const { createTemplateRenderer } = require('nunjitsu');

const root = path.resolve(__dirname, '..');
const TEMPLATES = ['payment-service', 'payment-event-consumer'];
const check = process.argv.includes('--check');
const renderer = createTemplateRenderer({
  trimBlocks: true,
  lstripBlocks: true,
  filters: { dump: value => JSON.stringify(value) },
});

const sorted = (deps = {}) =>
  Object.fromEntries(
    Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)),
  );
// The same comparison payments:lockfile:select makes (dependencyKey).
const dependencyKey = pkg =>
  JSON.stringify({
    dependencies: sorted(pkg.dependencies),
    devDependencies: sorted(pkg.devDependencies),
  });

/** The answers package.json reads (values.<x>) that the form offers a closed set of values for. */
function axes(templateName, source) {
  const template = yaml.parse(
    fs.readFileSync(
      path.join(root, 'templates', `${templateName}.yaml`),
      'utf8',
    ),
  );
  const properties = Object.assign(
    {},
    ...template.spec.parameters.map(page => page.properties ?? {}),
  );
  const read = new Set([...source.matchAll(/values\.(\w+)/g)].map(m => m[1]));
  const result = {};
  for (const name of read) {
    const property = properties[name];
    if (property?.enum) result[name] = property.enum;
    else if (property?.type === 'boolean') result[name] = [false, true];
    else if (property?.type === 'string') result[name] = ['', 'example'];
  }
  return result;
}

/** Every distinct dependency set of a template's package.json: key -> package.json. */
function dependencySets(templateName) {
  const source = fs.readFileSync(
    path.join(root, 'templates/skeletons', templateName, 'package.json'),
    'utf8',
  );
  let combinations = [{}];
  for (const [name, choices] of Object.entries(axes(templateName, source)))
    combinations = combinations.flatMap(values =>
      choices.map(choice => ({ ...values, [name]: choice })),
    );
  const sets = new Map();
  for (const answers of combinations) {
    const values = {
      ...answers,
      name: 'golden-path',
      description: 'A golden path.',
    };
    const pkg = JSON.parse(renderer.render(source, { values }));
    const lockPkg = {
      name: 'golden-path',
      version: '0.0.0',
      private: true,
      dependencies: sorted(pkg.dependencies),
      devDependencies: sorted(pkg.devDependencies),
    };
    sets.set(dependencyKey(lockPkg), lockPkg);
  }
  return sets;
}

function readLockfiles(directory) {
  if (!fs.existsSync(directory)) return new Map();
  return new Map(
    fs
      .readdirSync(directory)
      .filter(file => file.endsWith('.json'))
      .map(file => {
        const lock = JSON.parse(
          fs.readFileSync(path.join(directory, file), 'utf8'),
        );
        return [dependencyKey(lock.packages?.[''] ?? {}), { file, lock }];
      }),
  );
}

/** The existing lockfile sharing most dependencies with pkg: npm keeps its versions where it can. */
function seedFor(key, pkg, existing) {
  if (existing.has(key)) return existing.get(key).lock;
  const names = pkg2 =>
    new Set(Object.keys({ ...pkg2.dependencies, ...pkg2.devDependencies }));
  const wanted = names(pkg);
  let best;
  let bestShared = -1;
  for (const { lock } of existing.values()) {
    const shared = [...names(lock.packages[''])].filter(n =>
      wanted.has(n),
    ).length;
    if (shared > bestShared) [best, bestShared] = [lock, shared];
  }
  return best;
}

function lock(pkg, seed) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-lockfile-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify(pkg, null, 2),
    );
    if (seed)
      fs.writeFileSync(
        path.join(dir, 'package-lock.json'),
        JSON.stringify(seed),
      );
    execFileSync(
      'npm',
      [
        'install',
        '--package-lock-only',
        '--ignore-scripts',
        '--omit-lockfile-registry-resolved',
        '--lockfile-version=3',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    return JSON.parse(
      fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let missing = 0;
for (const templateName of TEMPLATES) {
  const directory = path.join(
    root,
    'templates/skeletons',
    templateName,
    '.lockfiles',
  );
  const existing = readLockfiles(directory);
  const sets = dependencySets(templateName);
  if (check) {
    for (const [key, pkg] of sets)
      if (!existing.has(key)) {
        missing += 1;
        console.error(
          `${templateName}: no lockfile for ${JSON.stringify(
            pkg.dependencies,
          )}`,
        );
      }
    continue;
  }
  fs.mkdirSync(directory, { recursive: true });
  const keep = new Set();
  for (const [key, pkg] of sets) {
    const file = `${crypto
      .createHash('sha256')
      .update(key)
      .digest('hex')
      .slice(0, 16)}.json`;
    const lockfile = lock(pkg, seedFor(key, pkg, existing));
    if (lockfile.packages?.['']?.dependencies === undefined && pkg.dependencies)
      throw new Error(`npm wrote no root package for ${templateName}/${file}`);
    fs.writeFileSync(
      path.join(directory, file),
      `${JSON.stringify(lockfile, null, 2)}\n`,
    );
    keep.add(file);
    console.log(
      `${templateName}: .lockfiles/${file} for ${Object.keys(
        pkg.dependencies,
      ).join(', ')}`,
    );
  }
  for (const file of fs.readdirSync(directory))
    if (!keep.has(file)) fs.rmSync(path.join(directory, file));
}
if (missing) {
  console.error(
    `${missing} dependency set(s) without a lockfile: run 'yarn golden:lockfiles'`,
  );
  process.exit(1);
}
