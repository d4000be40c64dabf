"""Settings of toiles, read from the environment (prefix ``TOILES_``) and a ``.env`` file."""

from __future__ import annotations

import functools
import json
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of toiles; each one can be set as ``TOILES_<NAME>``.

    Secrets (the Neo4j password) have no default.
    """

    model_config = SettingsConfigDict(env_prefix="TOILES_", env_file=".env", extra="ignore")

    store: str = Field(default="sqlite:///toiles.db", description="URL of the store.")
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    neo4j_batch_size: int = Field(default=10_000, ge=1)
    neo4j_timeout_s: float = Field(default=30.0, gt=0)
    igraph_threshold: int = Field(
        default=2000, ge=0, description="Actors above which analyses run on igraph."
    )
    exact_betweenness_max_edges: int = Field(
        default=20_000, ge=0, description="Flows above which betweenness is estimated."
    )
    lang: str = Field(default="fr", pattern="^(fr|en)$")
    api_allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Origins allowed to frame the HTML pages and to call the API from a browser (CORS):"
            " a comma-separated list (https://a.fr,https://b.fr) or a JSON list."
        ),
    )
    api_max_upload_mb: float = Field(
        default=50.0, gt=0, description="Cap of an upload, and of what a zip inflates to (MB)."
    )
    analysis_timeout_s: float = Field(
        default=10.0, gt=0, description="Time budget of one analysis in the API (seconds)."
    )
    api_shutdown_timeout_s: int = Field(
        default=5, ge=1, description="Time running requests get after SIGTERM (seconds)."
    )
    import_timeout_s: float = Field(
        default=300.0, gt=0, description="Time budget of one import in the API (seconds)."
    )
    analysis_max_memory_mb: float = Field(
        default=700.0,
        gt=0,
        description="Memory above which an analysis or import child process is stopped (MB).",
    )
    analysis_processes: int = Field(
        default=2, ge=1, description="Analyses run at once by one API process (each its own)."
    )
    analysis_cache_size: int = Field(
        default=256, ge=0, description="Analysis results kept per API process (LRU)."
    )
    neo4j_connect_timeout_s: float = Field(
        default=3.0, gt=0, description="Time to open a connection to Neo4j before giving up."
    )
    api_threads: int = Field(
        default=4,
        ge=1,
        description=(
            "Threads that run the store-bound routes in one API process: a few limit contention "
            "on the GIL (measured: 188 requests/s with 4, 178 with the framework's 40)."
        ),
    )
    cypher_timeout_s: float = Field(default=10.0, gt=0)
    cypher_max_rows: int = Field(default=5000, ge=1)
    cypher_max_bytes: int = Field(
        default=5_000_000, ge=1, description="Cap of a /cypher answer once written as JSON."
    )
    cypher_concurrency: int = Field(
        default=2, ge=1, description="/cypher queries run at once by one API process."
    )
    cypher_user: str | None = Field(
        default=None,
        description=(
            "Database user of /cypher, other than the store's (``deploy/neo4j/neo4j.sh`` "
            "creates ``toiles_lecteur`` when TOILES_CYPHER_PASSWORD is set)."
        ),
    )
    cypher_password: SecretStr | None = None

    @field_validator("api_allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        """Read a comma-separated list, or a JSON list, of origins."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part.strip().rstrip("/") for part in text.split(",") if part.strip()]


@functools.cache
def get_settings() -> Settings:
    """Return the settings, read once from the environment."""
    return Settings()
