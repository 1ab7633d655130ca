# Boundary container image.
#
#   docker build -t boundary:local .
#   docker run --rm -p 3000:3000 --env-file deploy/boundary.env boundary:local
#
# Two stages: the builder installs the project and its PostgreSQL driver into a
# virtual environment; the runtime stage copies only that environment. No
# compilers, no pip cache and no source tree end up in the final image.
# Secrets are never baked in: pass them at run time (env file, Kubernetes Secret).

FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}"

WORKDIR /src
# .dockerignore keeps .git, local env files, databases and caches out of the context.
COPY . .
# The project itself is what is installed here; its dependency ranges live in pyproject.toml.
# hadolint ignore=DL3013
RUN pip install --no-cache-dir --upgrade pip setuptools wheel \
 && pip install --no-cache-dir ".[postgres]" \
 && boundary-bot --help > /dev/null


FROM python:3.11-slim AS runtime

LABEL org.opencontainers.image.title="Boundary" \
      org.opencontainers.image.description="Slack/Teams bot for group therapy practices" \
      app.kubernetes.io/name="boundary"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BOUNDARY_DATA_DIR=/var/lib/boundary \
    PATH="/opt/venv/bin:${PATH}"

# Fixed numeric UID/GID so Kubernetes can verify runAsNonRoot (runAsUser: 10001).
RUN groupadd --system --gid 10001 boundary \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
        --home-dir /var/lib/boundary --shell /usr/sbin/nologin boundary \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/boundary \
 && install -d -o root -g root -m 0755 /app

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
USER 10001:10001

# SQLite database (when DATABASE_URL is not set) and any other local state.
VOLUME ["/var/lib/boundary"]

EXPOSE 3000

# slim has no curl: probe with the standard library. urlopen raises on non-2xx.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]

ENTRYPOINT ["boundary-bot"]
CMD ["serve", "--host", "0.0.0.0", "--port", "3000"]
