#!/usr/bin/env node
/*
 * Fails when the @backstage/* dependencies drift from one release:
 *  - a range instead of an exact version (caret ranges mixed releases and crashed the backend);
 *  - one package pinned to two versions in different workspaces;
 *  - yarn.lock holding a @backstage/* package at two versions, or at one the root does not pin.
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const EXACT = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

function workspaceManifests() {
  const manifests = [path.join(root, 'package.json')];
  for (const dir of ['packages', 'plugins']) {
    const base = path.join(root, dir);
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base)) {
      const file = path.join(base, name, 'package.json');
      if (fs.existsSync(file)) manifests.push(file);
    }
  }
  return manifests;
}

const problems = [];
const pins = new Map(); // package -> Map(version -> [where])

for (const file of workspaceManifests()) {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  const rel = path.relative(root, file);
  // peerDependencies are left out: peers may be ranges by design.
  for (const field of [
    'dependencies',
    'devDependencies',
    'optionalDependencies',
  ]) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (!name.startsWith('@backstage/')) continue;
      const where = `${rel} ${field}`;
      if (!EXACT.test(range)) {
        problems.push(
          `${where}: "${name}": "${range}" is not an exact version; pin it to the 1.55.0 release's version (no ^ or ~).`,
        );
        continue;
      }
      if (!pins.has(name)) pins.set(name, new Map());
      const versions = pins.get(name);
      versions.set(range, [...(versions.get(range) ?? []), where]);
    }
  }
}

for (const [name, versions] of pins) {
  if (versions.size > 1) {
    const detail = [...versions]
      .map(([v, where]) => `${v} in ${where.join(', ')}`)
      .join('; ');
    problems.push(
      `"${name}" is pinned to ${versions.size} versions (${detail}); use one version everywhere.`,
    );
  }
}

// The release pins every @backstage/* package in the tree (root "resolutions", from the
// 1.55.0 release manifest), so transitive caret ranges cannot pull in a newer release.
const rootManifest = JSON.parse(
  fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
);
const releasePins = Object.fromEntries(
  Object.entries(rootManifest.resolutions ?? {}).filter(([name]) =>
    name.startsWith('@backstage/'),
  ),
);
for (const [name, versions] of pins) {
  for (const version of versions.keys()) {
    if (releasePins[name] !== version) {
      problems.push(
        `"${name}" is pinned to ${version} but package.json#resolutions says ${
          releasePins[name] ?? 'nothing'
        }; they must agree.`,
      );
    }
  }
}

const lockFile = path.join(root, 'yarn.lock');
const resolved = new Map(); // package -> Set(version) as yarn.lock resolves it
for (const block of fs.readFileSync(lockFile, 'utf8').split('\n\n')) {
  const name = block.match(/^"?(@backstage\/[^@"]+)@/)?.[1];
  const version = block.match(/\n  version: (.+)/)?.[1];
  if (!name || !version) continue;
  if (!resolved.has(name)) resolved.set(name, new Set());
  resolved.get(name).add(version);
}
for (const [name, versions] of resolved) {
  const list = [...versions].join(', ');
  if (versions.size > 1) {
    problems.push(
      `yarn.lock resolves "${name}" to ${versions.size} versions (${list}); pin it in package.json#resolutions to the release's version.`,
    );
  } else if (!releasePins[name]) {
    problems.push(
      `yarn.lock has "${name}@${list}" but package.json#resolutions does not pin it; add the release's version.`,
    );
  } else if (!versions.has(releasePins[name])) {
    problems.push(
      `yarn.lock resolves "${name}" to ${list}, not the pinned ${releasePins[name]}: run the start or test command to refresh it.`,
    );
  }
}

if (problems.length) {
  console.error(
    `Backstage version drift (${problems.length}):\n  - ${problems.join(
      '\n  - ',
    )}`,
  );
  process.exit(1);
}
const release = JSON.parse(
  fs.readFileSync(path.join(root, 'backstage.json'), 'utf8'),
).version;
console.log(
  `Backstage ${release}: ${pins.size} direct and ${resolved.size} installed @backstage/* packages, each at one pinned version.`,
);
