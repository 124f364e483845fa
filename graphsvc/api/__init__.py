"""The HTTP API (FastAPI): thin routes over the services; errors mapped once in `errors.py`."""
