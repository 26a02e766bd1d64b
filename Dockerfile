# syntax=docker/dockerfile:1.7
# The portal's image: the backend, which also serves the frontend. Multi-stage, after Backstage's
# documented multi-stage build; the last two stages do what scripts/bundle.sh does on a host (the
# bundle test runs that layout), so the image starts the way the test starts the bundle.
#   docker build -t payments-portal .            (--build-arg NPM_REGISTRY=<url> for a mirror)
# Pinned base: the Node 22 that scripts/toolchain.sh installs. Pin its digest as well, where the
# build can reach a registry (this repository's machines cannot, so no digest is written here):
#   docker buildx imagetools inspect node:22.23.3-bookworm-slim --format '{{json .Manifest.Digest}}'
#   docker build --build-arg NODE_IMAGE=node:22.23.3-bookworm-slim@sha256:<that digest> .
# and refresh it the same way when bumping the version (Debian security updates land in new
# digests of the same tag: refresh monthly, or let Renovate/Dependabot's docker manager do it).
ARG NODE_IMAGE=node:22.23.3-bookworm-slim

# --- manifests: only the package.json files, so the install layer survives source changes ----
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml backstage.json ./
COPY packages packages
COPY plugins plugins
RUN find packages plugins -mindepth 2 -maxdepth 2 \! -name package.json -exec rm -rf {} \+

# --- toolchain: compilers for native addons and yarn 4, shared by the build and production stages
FROM ${NODE_IMAGE} AS toolchain
# better-sqlite3 (the embedded default's database, a backend dependency) compiles here.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 g++ make \
 && rm -rf /var/lib/apt/lists/*
# Yarn 4 through corepack, pinned by package.json#packageManager; native addons compile against
# this image's own Node headers (no header download).
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0 YARN_ENABLE_TELEMETRY=0 npm_config_nodedir=/usr/local
RUN corepack enable && mkdir /app && chown node:node /app
USER node
WORKDIR /app

# --- build: every dependency, type check, the backend bundle (and the frontend in it) --------
FROM toolchain AS build
ARG NPM_REGISTRY=""
COPY --from=manifests --chown=node:node /app ./
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,sharing=locked,uid=1000,gid=1000 \
    if [ -n "$NPM_REGISTRY" ]; then export COREPACK_NPM_REGISTRY="$NPM_REGISTRY" YARN_NPM_REGISTRY_SERVER="$NPM_REGISTRY"; fi \
 && yarn install --immutable
COPY --chown=node:node . .
RUN yarn tsc && yarn build:backend \
 && mkdir -p dist/skeleton dist/bundle \
 && tar xzf packages/backend/dist/skeleton.tar.gz -C dist/skeleton \
 && tar xzf packages/backend/dist/bundle.tar.gz -C dist/bundle

# --- production: the skeleton, production dependencies only, the bundle, run-time files -------
FROM toolchain AS production
ARG NPM_REGISTRY=""
COPY --from=build --chown=node:node /app/.yarnrc.yml /app/backstage.json /app/package.json /app/yarn.lock ./
COPY --from=build --chown=node:node /app/dist/skeleton/ ./
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,sharing=locked,uid=1000,gid=1000 \
    if [ -n "$NPM_REGISTRY" ]; then export COREPACK_NPM_REGISTRY="$NPM_REGISTRY" YARN_NPM_REGISTRY_SERVER="$NPM_REGISTRY"; fi \
 && yarn workspaces focus --all --production
COPY --from=build --chown=node:node /app/dist/bundle/ ./
# Read at run time relative to /app: the configs, taxonomy.file, the golden-path templates
# (catalog location templates/all.yaml in app-config.production.yaml).
COPY --chown=node:node app-config.yaml app-config.production.yaml taxonomy.yaml ./
COPY --chown=node:node templates ./templates

# --- runtime: no compiler, no yarn, files owned by root, runs as node ------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production --chown=root:root /app ./
USER node
EXPOSE 7007
# Probes (deploy/helm): /.backstage/health/v1/liveness and /.backstage/health/v1/readiness.
# node as PID 1 gets SIGTERM; Backstage fails readiness for backend.lifecycle.serverShutdownDelay,
# then stops and exits 0.
CMD ["node", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
