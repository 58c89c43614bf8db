# syntax=docker/dockerfile:1
# Guildhall's container image: Next's standalone server on Node 20, as a non-root user.
# It cannot be built on the project's CI machines (no container engine there); CI runs the
# same start command, `node server.js`, from the same assembled folder (tests/deploy).
# No secret is needed or taken at build time: AUTH_SECRET, MASTER_KEY, DATABASE_URL and the
# rest are given when the container runs (docs/DEPLOY.md).

FROM node:20-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# No dependency install scripts, as on the project's own machines (npm 11 runs none unless approved):
# the build needs none, and none may download anything.
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /src/node_modules ./node_modules
COPY . .
# PRISMA_SCHEMA_ENGINE_BINARY names any existing file: `prisma generate` needs no schema engine,
# and without it the CLI would try to download one.
RUN PRISMA_SCHEMA_ENGINE_BINARY="$(command -v node)" node node_modules/prisma/build/index.js generate \
 && node node_modules/next/dist/bin/next build \
 && node scripts/assemble-standalone.mjs

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data \
    KEEP_ALIVE_TIMEOUT=65000
# The image's `node` user (uid 1000) owns only the data folder (the embedded database, when no
# DATABASE_URL is given); the application files stay root's and read-only to it.
RUN mkdir -p /data && chown node:node /data
COPY --from=build /src/.next/standalone ./
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
