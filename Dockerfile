# roadmap-bot production image: compiled JavaScript on Node 24 LTS slim, production dependencies only, non-root.
# Build: docker build -t roadmap-bot .   Run: see docker-compose.yml and the README's "Deploy" section.
# The terminal chat, without Node installed: docker compose run --rm --build terminal
#   (or: docker run -it --rm roadmap-bot node dist/src/main.js)
ARG NODE_IMAGE=node:24-slim

# Production dependencies alone, so the final stage copies no compiler, linter or test runner.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Everything, to compile src/ and migrations/ into dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# V8's young generation capped at 2 MB semi-spaces: loading the content at start-up otherwise grows the heap
# to about 120 MB before the service gives its start-up garbage back (src/runtime/settle.ts); with the cap it
# peaks near 70 MB (see bench/README.md, "memory"). Set NODE_OPTIONS to override.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    NODE_OPTIONS=--max-semi-space-size=2
WORKDIR /app
# Code and content belong to root and are read-only to the app; only data/ (the embedded database, used
# when DATABASE_URL is unset, and the terminal chat's log) and exports/ (the terminal chat's CSV files) are
# writable.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY content ./content
COPY assets ./assets
RUN mkdir -p /app/data /app/exports && chown node:node /app/data /app/exports
USER node
EXPOSE 3000
# slim has no curl: ask Node itself. /healthz is liveness only; /readyz says whether the database and
# platforms are up.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (src/runtime/service.ts installs the handler, which PID 1 needs:
# the kernel ignores default-action signals for PID 1). The process spawns no children, so there are no
# zombies to reap and no init is needed; `docker run --init` adds tini if you want one anyway.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/service.js"]
