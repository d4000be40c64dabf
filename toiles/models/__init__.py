"""Data model of toiles: pydantic models, vocabularies and units."""

from __future__ import annotations

from toiles.models.actor import Actor as Actor
from toiles.models.flow import Flow as Flow
from toiles.models.flow import flow_id as flow_id
from toiles.models.toile import Territory as Territory
from toiles.models.toile import Toile as Toile
from toiles.models.toile import ToileInfo as ToileInfo
from toiles.models.toile import ToileSummary as ToileSummary
from toiles.models.vocab import ActorKind as ActorKind
from toiles.models.vocab import Confidence as Confidence
from toiles.models.vocab import Confidentiality as Confidentiality
from toiles.models.vocab import FlowKind as FlowKind
from toiles.models.vocab import Status as Status
from toiles.models.vocab import Theme as Theme
from toiles.models.vocab import UnitFamily as UnitFamily
