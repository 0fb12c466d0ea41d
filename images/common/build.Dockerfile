# The build stages every image shares. Not built on its own: scripts/build-images.sh writes each
# image's Dockerfile as that file's header (comments, global ARGs such as PACKAGE), then this file,
# then that file's own stages, which start FROM build. Build context: the repository root.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# --- prune: the package and the workspace packages it needs, with a lockfile cut to match
FROM ${NODE_IMAGE} AS prune
ARG PACKAGE
ARG TURBO_VERSION=2.11.11
WORKDIR /src
# The optional ca-bundle secret is for builds behind a TLS-inspecting proxy; it never lands in a layer.
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca-bundle; fi; \
    npm install --global --no-audit --no-fund --loglevel=error turbo@${TURBO_VERSION}
COPY . .
RUN turbo prune "@scrapegrid/${PACKAGE}" --docker --out-dir /pruned

# --- build: dependencies first (their layer survives source edits), then the package's own build
# (a bundle, or pod-tools' single executable cut by scripts/build-sea.ts). tini from Debian for the
# images that start under it (Node as PID 1 neither reaps orphans nor gets the default SIGTERM
# action); assemble-runtime.sh for the distroless-style ones.
FROM ${NODE_IMAGE} AS build
ARG PACKAGE
ARG PNPM_VERSION=10.34.8
ARG TINI_VERSION=0.19.0-1+b3
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends tini=${TINI_VERSION} >/dev/null \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY --from=prune /pruned/json/ ./
RUN --mount=type=secret,id=ca-bundle --mount=type=cache,id=scrapegrid-pnpm-store,target=/pnpm-store \
    if [ -s /run/secrets/ca-bundle ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca-bundle; fi; \
    npm install --global --no-audit --no-fund --loglevel=error pnpm@${PNPM_VERSION} \
 && pnpm install --frozen-lockfile --store-dir /pnpm-store --reporter=append-only
COPY --from=prune /pruned/full/ ./
COPY scripts/build-sea.ts scripts/
COPY images/common/assemble-runtime.sh /usr/local/bin/
RUN pnpm --filter "@scrapegrid/${PACKAGE}" run build
