# syntax=docker/dockerfile:1
# Organisation base image: distroless static (Debian 12), for static binaries. It already carries
# CA certificates and tzdata and has no shell or package manager, so updates arrive by rebuilding
# from the refreshed upstream. A helper stage adds user app (1000:1000) to its passwd and group.

# base-image-guard ignore=approved-base-images reason="upstream of the organisation's base-image library"
FROM gcr.io/distroless/static-debian12:latest AS upstream

# base-image-guard ignore=approved-base-images reason="build-time helper, not shipped"
FROM busybox:1.36 AS users
COPY --from=upstream /etc/passwd /etc/group /out/
RUN echo 'app:x:1000:1000:app:/nonexistent:/sbin/nologin' >> /out/passwd \
 && echo 'app:x:1000:' >> /out/group

FROM upstream
COPY --from=users /out/passwd /etc/passwd
COPY --from=users /out/group /etc/group

LABEL org.opencontainers.image.title="base/distroless" \
      org.opencontainers.image.description="distroless static (Debian 12) with user app (1000:1000)" \
      org.opencontainers.image.licenses="MIT"

USER 1000:1000
