# syntax=docker/dockerfile:1

# --- build: compile TypeScript with the dev dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# npm ci runs `prepare` (the build of the sdk/ workspace), so the sources come in first.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ormconfig.ts schema.graphql ./
COPY sdk/package.json sdk/tsconfig*.json ./sdk/
COPY sdk/scripts ./sdk/scripts
COPY sdk/src ./sdk/src
COPY src ./src
COPY console ./console
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

# --- runtime: production dependencies and compiled code only, as a non-root user ---
FROM node:20-bookworm-slim AS runtime
# NODE_OPTIONS: a 64 MiB semi-space, fewer young-generation collections under load (KEYGATE_NODE_FLAGS in
# bench/spawn-server.ts); set NODE_OPTIONS to override it, e.g. to '' in a container under 512 MB.
ENV NODE_ENV=production \
    PORT=8080 \
    DATA_DIR=/data \
    NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# /data belongs to the image's user: without DATABASE_URL the embedded PostgreSQL runs as that user
# (a non-root process cannot hand it to a `postgres` user) and keeps its files there. A new named
# volume takes this ownership; a bind mount must be writable by uid 1000. `--user` with a uid that
# has no passwd entry cannot run the embedded PostgreSQL (initdb looks the user up): use DATABASE_URL.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Run node directly (not npm) so SIGTERM reaches Keygate and requests drain on shutdown.
CMD ["node", "dist/src/main.js"]
