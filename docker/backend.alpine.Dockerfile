# Netra backend API — Alpine (musl) image.
#
# The process inside is the stand-in program docker/service/netra-service, not the platform's code (see
# docker/README.md). Build context: docker/. Offline builds use the local stand-in bases:
#   DOCKER_BUILDKIT=1 docker build --network none -f docker/backend.alpine.Dockerfile \
#     --build-arg BASE_IMAGE=netra-standin/python:3.11-alpine3.19 docker/
#
# Optimised as the backend image audit asks: multi-stage (builder -> runtime), layers ordered base ->
# dependency manifest -> config -> shared code -> app code, BuildKit cache mounts, tini as PID 1, a non-root
# user, no build tools in the runtime stage, writes only to tmpfs paths (read-only root filesystem), a
# HEALTHCHECK.
# The staging twin backend.staging.alpine.Dockerfile differs only in its defaults.
#
# NATIVE_EXT=glibc puts a glibc-linked binary at /app/native/ext (tini from the glibc image), like a
# manylinux wheel installed on Alpine. With libc6-compat's loader link, musl loads it (musl answers the
# request for libc.so.6 itself) and then refuses it: "Error relocating /app/native/ext: __fprintf_chk:
# symbol not found" (exit 127); the service logs that and exits 1 at start-up. Without the link the
# kernel finds no interpreter: "/app/native/ext: not found".

ARG BASE_IMAGE=python:3.11-alpine3.19
ARG GLIBC_IMAGE=python:3.11-slim
ARG NATIVE_EXT=none

# ---- builder: resolves the dependency manifest into /install --------------------------------------------------
FROM ${BASE_IMAGE} AS builder
WORKDIR /build
COPY app/backend/requirements.txt ./requirements.txt
# Stand-in for `pip install --prefix=/install -r requirements.txt`: one entry per requirement, "downloaded" into
# the pip cache mount (kept between builds, never in a layer) and installed from there. Offline and cheap.
RUN --mount=type=cache,target=/root/.cache/pip,id=netra-pip-musl \
    set -eu; mkdir -p /install/site-packages; \
    sed -e 's/#.*//' -e '/^[[:space:]]*$/d' requirements.txt | while read -r req; do \
      pkg="${req%%[=<>~!]*}"; \
      [ -f "/root/.cache/pip/$pkg.whl" ] || echo "$req musl x86_64 (stand-in wheel)" >"/root/.cache/pip/$pkg.whl"; \
      mkdir -p "/install/site-packages/$pkg"; cp "/root/.cache/pip/$pkg.whl" "/install/site-packages/$pkg/METADATA"; \
    done; \
    echo "installed $(ls /install/site-packages | wc -l) packages"

# ---- the glibc image, only read when NATIVE_EXT=glibc ---------------------------------------------------------
FROM ${GLIBC_IMAGE} AS glibc-wheel

# ---- runtime -------------------------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS runtime-base
# The user, and libc6-compat's loader link (what the guide's `apk add libc6-compat` gives): glibc binaries find
# an interpreter, which is musl's.
RUN echo 'netra:x:1000:1000:netra:/home/netra:/sbin/nologin' >>/etc/passwd \
 && echo 'netra:x:1000:' >>/etc/group \
 && mkdir -p /home/netra && chown 1000:1000 /home/netra \
 && mkdir -p /lib64 /app/native \
 && ln -sf /lib/ld-musl-x86_64.so.1 /lib64/ld-linux-x86-64.so.2

FROM runtime-base AS native-none

FROM runtime-base AS native-glibc
COPY --from=glibc-wheel /usr/bin/tini /app/native/ext

FROM native-${NATIVE_EXT} AS runtime
LABEL com.netra.variant=alpine com.netra.service=backend com.netra.libc=musl
ENV NETRA_ENV=test \
    LOG_LEVEL=debug \
    SERVICE_ROLE=backend \
    SERVICE_NAME=netra-backend \
    STARTUP_SECONDS=6 \
    START_SCALE=100 \
    MEMORY_MB=48 \
    PORT=8000
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app/site-packages:/app/shared
WORKDIR /app
COPY --from=builder /install/site-packages /app/site-packages
COPY app/backend/config /app/config
COPY app/backend/shared /app/shared
COPY app/backend/app /app/app
COPY service/netra-service /app/bin/netra-service
USER netra
EXPOSE 8000
HEALTHCHECK --interval=2s --timeout=2s --start-period=20s --retries=3 \
  CMD wget -q -O- "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["/app/bin/netra-service"]
