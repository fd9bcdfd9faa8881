# syntax=docker/dockerfile:1
#
# Aula in one image: the web UI built with Node, the server built with Rust, and a small
# Debian runtime that runs `aula serve` as an unprivileged user.
#
#   docker build -t aula .
#   docker run -p 8080:8080 -v aula-data:/var/lib/aula \
#       -e AULA_PUBLIC_URL=http://localhost:8080 aula
#
# Settings are AULA_* environment variables (docs/configuration.md). Without
# AULA_DATABASE_URL the data lives in SQLite under /var/lib/aula.

# --- Web UI -------------------------------------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- Server ---------------------------------------------------------------------------
FROM rust:1-bookworm AS server
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev libsqlite3-dev libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates/ crates/
COPY migrations/ migrations/
# The caches keep downloaded crates and compiled dependencies between builds; the
# binary is copied out of the cached target directory in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin aula \
    && cp target/release/aula /usr/local/bin/aula

# --- Runtime --------------------------------------------------------------------------
FROM debian:bookworm-slim
# curl is only for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libsqlite3-0 libssl3 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 aula \
    && useradd --system --uid 10001 --gid aula --home-dir /var/lib/aula --shell /usr/sbin/nologin aula \
    && install -d -o aula -g aula -m 700 /var/lib/aula
COPY --from=server /usr/local/bin/aula /usr/local/bin/aula
COPY --from=web /src/frontend/dist /app/frontend/dist

ENV AULA_BIND=0.0.0.0:8080 \
    AULA_DATA_DIR=/var/lib/aula \
    AULA_FRONTEND_DIR=/app/frontend/dist
VOLUME ["/var/lib/aula"]
WORKDIR /var/lib/aula
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/api/v1/health || exit 1
ENTRYPOINT ["aula"]
CMD ["serve"]
