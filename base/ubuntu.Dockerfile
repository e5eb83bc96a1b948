# syntax=docker/dockerfile:1
# Organisation base image: Ubuntu 24.04 LTS (noble), patched, with CA certificates, tzdata and a
# non-root user. Rebuilt weekly; scanned before push; signed by digest.

# base-image-guard ignore=approved-base-images reason="upstream of the organisation's base-image library"
FROM ubuntu:24.04

ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get upgrade -y --no-install-recommends \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && (userdel --remove ubuntu 2>/dev/null || true) \
 && groupadd --gid 1000 app \
 && useradd --uid 1000 --gid 1000 --no-create-home --shell /usr/sbin/nologin app

LABEL org.opencontainers.image.title="base/ubuntu" \
      org.opencontainers.image.description="Ubuntu 24.04 LTS with security updates, CA certificates, tzdata and user app (1000:1000)" \
      org.opencontainers.image.licenses="MIT"

USER 1000:1000
