#!/usr/bin/env bash
# Makes the local stand-in base images the Netra Dockerfiles build FROM when no registry is reachable.
#
# Two rootfs trees are imported with `docker import` (nothing is pulled):
#   musl  ("Alpine-like"):      busybox, the musl loader, /sbin/tini (static), /etc/alpine-release. No glibc.
#   glibc ("Debian slim-like"): busybox, the host's glibc loader + libc, /usr/bin/tini (glibc-dynamic),
#                               /etc/debian_version.
# Each is tagged under netra-standin/ with the names of the upstream images a real user pulls, so the
# Dockerfiles build offline with NETRA_BASE_PREFIX=netra-standin/ (see docker/README.md).
#
# Usage: docker/make-bases.sh [--force]
#   DOCKER       docker binary (default: docker); DOCKER_HOST is honoured.
#   --force      re-import even when every tag already exists.
set -euo pipefail

DOCKER="${DOCKER:-docker}"
PREFIX="netra-standin/"
MUSL_TAGS=(python:3.11-alpine3.19 node:20-alpine3.19 postgres:15-alpine3.19 redis:7-alpine3.19)
GLIBC_TAGS=(python:3.11-slim node:20-slim postgres:15 redis:7)
LABEL="com.netra.standin=true"

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "make-bases: unknown argument: $arg (usage: $0 [--force])" >&2; exit 2 ;;
  esac
done

BUSYBOX=/bin/busybox
MUSL_LOADER=/lib/ld-musl-x86_64.so.1
TINI_STATIC=/usr/bin/tini-static
TINI_DYNAMIC=/usr/bin/tini
missing=()
for f in "$BUSYBOX" "$MUSL_LOADER" "$TINI_STATIC" "$TINI_DYNAMIC"; do
  [ -e "$f" ] || missing+=("$f")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "make-bases: missing ${missing[*]}; install them with: apt-get install -y busybox-static musl tini" >&2
  exit 1
fi

have_all() { # have_all TAG...: every PREFIX+TAG exists on the engine
  local t
  for t in "$@"; do
    "$DOCKER" image inspect "${PREFIX}${t}" >/dev/null 2>&1 || return 1
  done
}

work="$(mktemp -d "${TMPDIR:-/tmp}/netra-bases.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# common_rootfs DIR: busybox with every applet linked into /bin, users, the usual directories.
common_rootfs() {
  local root="$1" applet
  mkdir -p "$root"/{bin,sbin,lib,etc,root,home,proc,sys,dev,run,var/tmp,usr/bin,usr/sbin,usr/local/bin,usr/lib}
  install -d -m 1777 "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  chmod 0755 "$root/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    [ "$applet" = busybox ] && continue
    ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

# import_base DIR TAG PATH...: tar DIR into the first tag, then tag the rest.
import_base() {
  local root="$1" libc="$2" path="$3"; shift 3
  local first="${PREFIX}$1" t
  tar -C "$root" --numeric-owner --owner=0 --group=0 -c . |
    "$DOCKER" import \
      --change "ENV PATH=$path" \
      --change "LABEL $LABEL com.netra.standin.libc=$libc" \
      --change 'CMD ["sh"]' \
      - "$first" >/dev/null
  for t in "${@:2}"; do "$DOCKER" tag "$first" "${PREFIX}${t}"; done
  echo "make-bases: $libc base -> ${*/#/$PREFIX}"
}

make_musl() {
  local root="$work/musl"
  common_rootfs "$root"
  cp -L "$MUSL_LOADER" "$root/lib/ld-musl-x86_64.so.1"
  ln -s ld-musl-x86_64.so.1 "$root/lib/libc.musl-x86_64.so.1"
  cp -L "$TINI_STATIC" "$root/sbin/tini"
  echo 3.19.0 >"$root/etc/alpine-release"
  printf 'NAME="Alpine Linux (netra stand-in)"\nID=alpine\nVERSION_ID=3.19.0\n' >"$root/etc/os-release"
  if [ -e "$root/lib/libc.so.6" ] || [ -e "$root/lib64/ld-linux-x86-64.so.2" ]; then
    echo "make-bases: glibc leaked into the musl rootfs" >&2
    exit 1
  fi
  import_base "$root" musl /usr/local/bin:/usr/bin:/bin:/sbin "${MUSL_TAGS[@]}"
}

make_glibc() {
  local root="$work/glibc" lib
  common_rootfs "$root"
  cp -L "$TINI_DYNAMIC" "$root/usr/bin/tini"
  # The loader and every library tini needs, at the paths the host's ld.so resolves them to.
  for lib in /lib64/ld-linux-x86-64.so.2 \
    $(ldd "$TINI_DYNAMIC" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  if [ ! -e "$root/lib/x86_64-linux-gnu/libc.so.6" ] && [ ! -e "$root/lib64/libc.so.6" ]; then
    echo "make-bases: ldd $TINI_DYNAMIC did not name libc.so.6" >&2
    exit 1
  fi
  echo 12.0 >"$root/etc/debian_version"
  printf 'NAME="Debian GNU/Linux (netra stand-in)"\nID=debian\nVERSION_ID="12"\n' >"$root/etc/os-release"
  import_base "$root" glibc /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${GLIBC_TAGS[@]}"
}

if [ "$force" = 1 ] || ! have_all "${MUSL_TAGS[@]}"; then make_musl; else echo "make-bases: musl base present"; fi
if [ "$force" = 1 ] || ! have_all "${GLIBC_TAGS[@]}"; then make_glibc; else echo "make-bases: glibc base present"; fi
