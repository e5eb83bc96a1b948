# syntax=docker/dockerfile:1
# Organisation base image: Alpine Linux, patched, with CA certificates, tzdata and a non-root user.
# Rebuilt weekly by .github/workflows/update-base-images.yml: built, scanned with Trivy before it is
# pushed, then signed by digest. The scan result travels as a cosign attestation, never as a label.

# base-image-guard ignore=approved-base-images reason="upstream of the organisation's base-image library"
FROM alpine:3.23

RUN apk upgrade --no-cache \
 && apk add --no-cache ca-certificates tzdata \
 && addgroup -g 1000 app \
 && adduser -D -H -u 1000 -G app -s /sbin/nologin app

LABEL org.opencontainers.image.title="base/alpine" \
      org.opencontainers.image.description="Alpine Linux 3.23 with security updates, CA certificates, tzdata and user app (1000:1000)" \
      org.opencontainers.image.licenses="MIT"

USER 1000:1000
