# ddbcopy as a container: the NativeAOT binary alone on a chiseled (distroless) Ubuntu base, run as a non-root user.
#   docker build -t ddbcopy .
#   docker run --rm -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_SESSION_TOKEN ddbcopy \
#     --sourceTable orders --destinationTable orders-copy --readThroughputRatio 0.3
# Files it writes (dead letters, checkpoints, exports) go to the working directory /work: mount a volume there.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN bash scripts/publish-native.sh linux-x64 && mkdir -p /out/work

# runtime-deps: the native libraries a self-contained .NET binary needs (libc, OpenSSL, ICU-free), nothing else:
# no shell, no package manager. Its "app" user (UID 1654) is not root.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
COPY --from=build /src/artifacts/native/linux-x64/ddbcopy /usr/local/bin/ddbcopy
COPY --from=build --chown=1654:1654 /out/work /work
WORKDIR /work
USER app
ENTRYPOINT ["/usr/local/bin/ddbcopy"]
