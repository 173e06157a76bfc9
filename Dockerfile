# hookgate: build on Debian 12, run on debian:bookworm-slim as a non-root user.
#   docker build -t hookgate .
#   docker run -p 8080:8080 -v hookgate-data:/var/lib/hookgate -v $PWD/hookgate.yaml:/etc/hookgate/hookgate.yaml:ro hookgate
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ cmake make pkg-config libevent-dev libssl-dev \
      libsqlite3-dev libsodium-dev libsimdjson-dev libspdlog-dev libfmt-dev libyaml-cpp-dev \
      libcli11-dev libgtest-dev libnghttp2-dev libpq-dev liblua5.4-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHOOKGATE_TESTS=OFF \
 && cmake --build build -j"$(nproc)" --target hookgate \
 && strip build/hookgate

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libevent-2.1-7 libevent-core-2.1-7 libevent-extra-2.1-7 \
      libevent-openssl-2.1-7 libevent-pthreads-2.1-7 libssl3 libsqlite3-0 libsodium23 libsimdjson14 \
      libspdlog1.10 libfmt9 libyaml-cpp0.7 libnghttp2-14 libpq5 liblua5.4-0 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/hookgate --shell /usr/sbin/nologin hookgate \
 && mkdir -p /var/lib/hookgate /etc/hookgate \
 && chown hookgate:hookgate /var/lib/hookgate
COPY --from=build /src/build/hookgate /usr/local/bin/hookgate
COPY examples/hookgate.docker.yaml /etc/hookgate/hookgate.yaml
USER hookgate
VOLUME /var/lib/hookgate
EXPOSE 8080 9090
# /healthz is served by the admin listener (admin.listen in the baked-in config).
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD curl -fsS http://127.0.0.1:9090/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/hookgate"]
CMD ["serve", "-c", "/etc/hookgate/hookgate.yaml"]
