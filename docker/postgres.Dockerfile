# Netra's PostgreSQL 15 — a STAND-IN: the process is docker/service/netra-service with SERVICE_ROLE=postgres,
# not the PostgreSQL server (see docker/README.md). One Dockerfile for both variants, the base is a build arg:
#   Alpine (musl):    BASE_IMAGE=postgres:15-alpine3.19  VARIANT=alpine   (the default)
#   regular (glibc):  BASE_IMAGE=postgres:15             VARIANT=regular
# Like the real server, it keeps its cluster on the data volume and records which C library created it (text
# collation comes from libc): a cluster made under musl is refused under glibc and vice versa, which is why each
# variant has its own volume (postgres-data-alpine / postgres-data-regular).
# The user is uid 70 in both variants (the Alpine image's), so that the libc, not file ownership, is what a
# swapped volume runs into. tini is found on PATH (/sbin/tini in the musl base, /usr/bin/tini in the glibc one).
ARG BASE_IMAGE=postgres:15-alpine3.19

FROM ${BASE_IMAGE} AS runtime
ARG VARIANT=alpine
RUN echo 'postgres:x:70:70:PostgreSQL:/var/lib/postgresql:/sbin/nologin' >>/etc/passwd \
 && echo 'postgres:x:70:' >>/etc/group \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R 70:70 /var/lib/postgresql /var/run/postgresql \
 && chmod 0700 /var/lib/postgresql/data
LABEL com.netra.variant=${VARIANT} com.netra.service=postgres
ENV SERVICE_ROLE=postgres \
    SERVICE_NAME=postgres \
    STARTUP_SECONDS=3 \
    START_SCALE=100 \
    MEMORY_MB=24 \
    PORT=5432 \
    PGDATA=/var/lib/postgresql/data
COPY service/netra-service /usr/local/bin/netra-service
VOLUME /var/lib/postgresql/data
USER postgres
EXPOSE 5432
HEALTHCHECK --interval=2s --timeout=2s --start-period=15s --retries=3 \
  CMD wget -q -O- "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["tini", "--"]
CMD ["/usr/local/bin/netra-service"]
