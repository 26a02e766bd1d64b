#!/usr/bin/env bash
# The production bundle, laid out exactly as the Dockerfile's image: `yarn build:backend` (which
# builds the frontend too), then the skeleton, production dependencies only
# (`yarn workspaces focus --all --production`), the bundle, and the files the portal reads at run
# time. Output: .data/production-bundle (or PORTAL_BUNDLE_DIR). Prints how to start it.
# Dependencies come from yarn's cache filled by the repository's own install (no download when it
# is warm; otherwise the registry npm is configured with).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_dependencies
cd "$PORTAL_ROOT"
mkdir -p .data/logs
BUNDLE_DIR="${PORTAL_BUNDLE_DIR:-$PORTAL_ROOT/.data/production-bundle}"

started=$SECONDS
# The backend build packs the workspace plugins, whose type declarations come from tsc.
log "type check (yarn tsc)"
yarn tsc
log "building the backend bundle and the frontend (yarn build:backend)"
yarn build:backend >"$PORTAL_ROOT/.data/logs/build-backend.log" 2>&1 \
  || { tail -40 "$PORTAL_ROOT/.data/logs/build-backend.log" >&2; die "yarn build:backend failed (log above, also in .data/logs/build-backend.log)"; }
build_seconds=$((SECONDS - started))

started=$SECONDS
log "extracting into ${BUNDLE_DIR#"$PORTAL_ROOT"/} and installing production dependencies only"
rm -rf "$BUNDLE_DIR" && mkdir -p "$BUNDLE_DIR"
cp .yarnrc.yml backstage.json package.json yarn.lock "$BUNDLE_DIR/"
tar xzf packages/backend/dist/skeleton.tar.gz -C "$BUNDLE_DIR"
# keytar (an optional dependency of @backstage/cli-node) fails to build without libsecret: harmless.
(cd "$BUNDLE_DIR" && yarn workspaces focus --all --production) >"$PORTAL_ROOT/.data/logs/bundle-install.log" 2>&1 \
  || { tail -40 "$PORTAL_ROOT/.data/logs/bundle-install.log" >&2; die "production install failed (log above, also in .data/logs/bundle-install.log)"; }
tar xzf packages/backend/dist/bundle.tar.gz -C "$BUNDLE_DIR"
# Read at run time, relative to the working directory: the configs, taxonomy.file and the
# golden-path templates (catalog location templates/all.yaml). The Dockerfile copies the same.
cp app-config.yaml app-config.production.yaml taxonomy.yaml "$BUNDLE_DIR/"
tar cf - --exclude=node_modules --exclude=dist templates | tar xf - -C "$BUNDLE_DIR"
install_seconds=$((SECONDS - started))

log "bundle ready in ${BUNDLE_DIR#"$PORTAL_ROOT"/} ($(du -sh "$BUNDLE_DIR" | cut -f1)):" \
  "build ${build_seconds} s, extract and production install ${install_seconds} s"
cat >&2 <<EOF
Start it as the container does (environment variables: README, Production):
  cd ${BUNDLE_DIR#"$PORTAL_ROOT"/} && NODE_ENV=production node packages/backend --config app-config.yaml --config app-config.production.yaml
EOF
