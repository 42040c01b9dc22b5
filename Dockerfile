# syntax=docker/dockerfile:1
# Dronelog image: one process, the Fastify API (apps/api) that also serves the built web app.
#
#   docker build --build-arg REVISION="$(git rev-parse --short HEAD)" -t dronelog .
#   docker run -p 8080:8080 -v dronelog-data:/data/drone-logbook --read-only --tmpfs /tmp dronelog
#
# The build stage runs scripts/bundle.sh, the same script CI proves with scripts/check-bundle.sh
# (pnpm build, then `pnpm deploy --legacy --prod` of @dronelog/api plus the web build).
# Both stages use the same Debian (bookworm) base: DuckDB's native binding needs its glibc.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1 \
    npm_config_store_dir=/pnpm/store
RUN npm install -g pnpm@10.34.9 && npm cache clean --force
WORKDIR /src
# Dependencies first: this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN --mount=type=cache,id=dronelog-pnpm-store,target=/pnpm/store \
    pnpm fetch
COPY . .
ARG REVISION=unknown
RUN --mount=type=cache,id=dronelog-pnpm-store,target=/pnpm/store \
    pnpm install --offline --frozen-lockfile \
 && BUNDLE_REVISION="${REVISION}" bash scripts/bundle.sh /bundle

FROM ${NODE_IMAGE} AS runtime
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Dronelog" \
      org.opencontainers.image.description="Self-hosted logbook for DJI drone flights" \
      org.opencontainers.image.revision="${REVISION}"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data/drone-logbook \
    WEB_DIR=/app/web
# glibc: allocations over 128 KiB always get their own mapping, returned to the kernel when freed. By default the
# threshold grows with the largest block freed, after which the parse workers' and DuckDB's big buffers stay in
# malloc's arenas: ~60 MiB less peak and resident memory over a batch of imports (docs/benchmarks.md).
ENV MALLOC_MMAP_THRESHOLD_=131072
# Unprivileged user 10001 (matches the Kubernetes securityContext); it owns only the data folder.
RUN groupadd --gid 10001 dronelog \
 && useradd --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin dronelog \
 && mkdir -p /data/drone-logbook \
 && chown 10001:10001 /data/drone-logbook \
 && chmod 0750 /data/drone-logbook
WORKDIR /app
# Code owned by root and not writable by the app user; the root filesystem can be read-only.
COPY --from=build /bundle/ /app/
USER 10001:10001
EXPOSE 8080
VOLUME ["/data/drone-logbook"]
# No curl in slim images: Node's own fetch. Liveness only (readiness is /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 without an init: close-with-grace handles SIGTERM/SIGINT (closes the server,
# DuckDB and the parse workers, which are threads, not child processes).
STOPSIGNAL SIGTERM
CMD ["node", "apps/api/dist/server.js"]
