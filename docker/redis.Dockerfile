# Netra's Redis 7 — a STAND-IN: the process is docker/service/netra-service with SERVICE_ROLE=redis, not the
# Redis server (see docker/README.md). One Dockerfile for both variants, the base is a build arg:
#   Alpine (musl):    BASE_IMAGE=redis:7-alpine3.19  VARIANT=alpine   (the default)
#   regular (glibc):  BASE_IMAGE=redis:7             VARIANT=regular
# Data lives on the /data volume (redis-data-alpine / redis-data-regular). tini is found on PATH.
ARG BASE_IMAGE=redis:7-alpine3.19

FROM ${BASE_IMAGE} AS runtime
ARG VARIANT=alpine
RUN echo 'redis:x:999:999:Redis:/data:/sbin/nologin' >>/etc/passwd \
 && echo 'redis:x:999:' >>/etc/group \
 && mkdir -p /data && chown 999:999 /data
LABEL com.netra.variant=${VARIANT} com.netra.service=redis
ENV SERVICE_ROLE=redis \
    SERVICE_NAME=redis \
    STARTUP_SECONDS=1 \
    START_SCALE=100 \
    MEMORY_MB=8 \
    PORT=6379
COPY service/netra-service /usr/local/bin/netra-service
VOLUME /data
WORKDIR /data
USER redis
EXPOSE 6379
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 \
  CMD wget -q -O- "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["tini", "--"]
CMD ["/usr/local/bin/netra-service"]
