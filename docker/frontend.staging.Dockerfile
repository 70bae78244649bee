# Netra frontend (Next.js) — regular (Debian slim, glibc) image, staging defaults.
#
# The process inside is the stand-in program docker/service/netra-service, not the platform's code (see
# docker/README.md). Build context: docker/. Offline builds use the local stand-in bases:
#   DOCKER_BUILDKIT=1 docker build --network none -f docker/frontend.staging.Dockerfile \
#     --build-arg BASE_IMAGE=netra-standin/node:20-slim docker/
#
# Optimised as the backend image audit asks: multi-stage (builder -> runtime), layers ordered base ->
# dependency manifest -> config -> shared code -> app code, BuildKit cache mounts, tini as PID 1, a non-root
# user, no build tools in the runtime stage, writes only to tmpfs paths (read-only root filesystem), a
# HEALTHCHECK.
# Same as frontend.Dockerfile except for its defaults (NETRA_ENV, LOG_LEVEL).

ARG BASE_IMAGE=node:20-slim

# ---- builder: dependencies, then the production build -------------------------------------------------------
FROM ${BASE_IMAGE} AS builder
WORKDIR /build
COPY app/frontend/package.json ./package.json
# Stand-in for `npm ci --omit=dev`: each dependency "downloaded" into the npm cache mount and installed from it.
RUN --mount=type=cache,target=/root/.npm,id=netra-npm-glibc \
    set -eu; mkdir -p node_modules; \
    sed -n '/"dependencies"/,/}/p' package.json | sed -n 's/^[[:space:]]*"\([^"]*\)":[[:space:]]*"\([^"]*\)".*/\1 \2/p' | \
    while read -r name version; do \
      [ -f "/root/.npm/$name-$version.tgz" ] || echo "$name@$version glibc (stand-in tarball)" >"/root/.npm/$name-$version.tgz"; \
      mkdir -p "node_modules/$name"; cp "/root/.npm/$name-$version.tgz" "node_modules/$name/package.txt"; \
    done; \
    echo "added $(ls node_modules | wc -l) packages"
COPY app/frontend/config ./config
COPY app/frontend/shared ./shared
COPY app/frontend/app ./app
# Stand-in for `next build` (output: standalone): the compiled app goes to /build/.next.
RUN --mount=type=cache,target=/build/.next/cache,id=netra-next-glibc \
    set -eu; mkdir -p .next/standalone; cp -R app/. .next/standalone/; \
    date -u +%s >.next/BUILD_ID; echo "compiled $(find app -type f | wc -l) pages"

# ---- runtime -------------------------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS runtime
RUN echo 'nextjs:x:1001:1001:nextjs:/home/nextjs:/sbin/nologin' >>/etc/passwd \
 && echo 'nodejs:x:1001:' >>/etc/group \
 && mkdir -p /home/nextjs && chown 1001:1001 /home/nextjs
LABEL com.netra.variant=regular com.netra.service=frontend com.netra.libc=glibc
ENV NETRA_ENV=staging \
    LOG_LEVEL=info \
    SERVICE_ROLE=frontend \
    SERVICE_NAME=netra-frontend \
    STARTUP_SECONDS=15 \
    START_SCALE=100 \
    MEMORY_MB=112 \
    PORT=3000
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=builder /build/node_modules /app/node_modules
COPY app/frontend/config /app/config
COPY app/frontend/shared /app/shared
COPY --from=builder /build/.next /app/.next
COPY service/netra-service /app/bin/netra-service
USER nextjs
EXPOSE 3000
HEALTHCHECK --interval=2s --timeout=2s --start-period=40s --retries=3 \
  CMD wget -q -O- "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["/app/bin/netra-service"]
