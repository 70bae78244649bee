# Netra auth service — regular (Debian slim, glibc) image, staging defaults.
#
# The process inside is the stand-in program docker/service/netra-service, not the platform's code (see
# docker/README.md). Build context: docker/. Offline builds use the local stand-in bases:
#   DOCKER_BUILDKIT=1 docker build --network none -f docker/auth.staging.Dockerfile \
#     --build-arg BASE_IMAGE=netra-standin/python:3.11-slim docker/
#
# Optimised as the backend image audit asks: multi-stage (builder -> runtime), layers ordered base ->
# dependency manifest -> config -> shared code -> app code, BuildKit cache mounts, tini as PID 1, a non-root
# user, no build tools in the runtime stage, writes only to tmpfs paths (read-only root filesystem), a
# HEALTHCHECK.
# Same as auth.Dockerfile except for its defaults (NETRA_ENV, LOG_LEVEL).

ARG BASE_IMAGE=python:3.11-slim

# ---- builder: resolves the dependency manifest into /install --------------------------------------------------
FROM ${BASE_IMAGE} AS builder
WORKDIR /build
COPY app/auth/requirements.txt ./requirements.txt
# Stand-in for `pip install --prefix=/install -r requirements.txt`: one entry per requirement, "downloaded" into
# the pip cache mount (kept between builds, never in a layer) and installed from there. Offline and cheap.
RUN --mount=type=cache,target=/root/.cache/pip,id=netra-pip-glibc \
    set -eu; mkdir -p /install/site-packages; \
    sed -e 's/#.*//' -e '/^[[:space:]]*$/d' requirements.txt | while read -r req; do \
      pkg="${req%%[=<>~!]*}"; \
      [ -f "/root/.cache/pip/$pkg.whl" ] || echo "$req glibc x86_64 (stand-in wheel)" >"/root/.cache/pip/$pkg.whl"; \
      mkdir -p "/install/site-packages/$pkg"; cp "/root/.cache/pip/$pkg.whl" "/install/site-packages/$pkg/METADATA"; \
    done; \
    echo "installed $(ls /install/site-packages | wc -l) packages"

# ---- runtime -------------------------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS runtime
RUN echo 'netra:x:1000:1000:netra:/home/netra:/sbin/nologin' >>/etc/passwd \
 && echo 'netra:x:1000:' >>/etc/group \
 && mkdir -p /home/netra && chown 1000:1000 /home/netra
LABEL com.netra.variant=regular com.netra.service=auth com.netra.libc=glibc
ENV NETRA_ENV=staging \
    LOG_LEVEL=info \
    SERVICE_ROLE=auth \
    SERVICE_NAME=netra-auth \
    STARTUP_SECONDS=12 \
    START_SCALE=100 \
    MEMORY_MB=56 \
    PORT=8081
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app/site-packages:/app/shared
WORKDIR /app
COPY --from=builder /install/site-packages /app/site-packages
COPY app/auth/config /app/config
COPY app/auth/shared /app/shared
COPY app/auth/app /app/app
COPY service/netra-service /app/bin/netra-service
USER netra
EXPOSE 8081
HEALTHCHECK --interval=2s --timeout=2s --start-period=30s --retries=3 \
  CMD wget -q -O- "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["/app/bin/netra-service"]
