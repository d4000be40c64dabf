"""The HTTP API of toiles (FastAPI): build it with :func:`toiles.api.app.create_app`."""
