"""Read toiles from tables and documents into models, with full validation."""

from __future__ import annotations

from toiles.loaders.files import load_toile as load_toile
from toiles.loaders.files import save_toile as save_toile
from toiles.loaders.files import write_toile_json as write_toile_json
from toiles.loaders.validate import ValidationReport as ValidationReport
from toiles.loaders.validate import validate_toile as validate_toile
