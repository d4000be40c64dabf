"""The edit history of toile versions: who changed what, when, before and after.

Every save of a version produces a new *revision* (1, 2, 3… per toile id and version, never
reused, even after a deletion), and stores keep one :class:`EditRecord` per revision in the
same transaction as the save: the history cannot miss a change nor list one that failed.
"""

from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict, JsonValue


class EditAction(enum.StrEnum):
    """What a revision did to its version (French values: users read them)."""

    CHARGEMENT = "chargement"
    AJOUT_ACTEUR = "ajout_acteur"
    MODIFICATION_ACTEUR = "modification_acteur"
    SUPPRESSION_ACTEUR = "suppression_acteur"
    AJOUT_FLUX = "ajout_flux"
    MODIFICATION_FLUX = "modification_flux"
    SUPPRESSION_FLUX = "suppression_flux"
    RESTAURATION = "restauration"


class EditRecord(BaseModel):
    """One change of a toile version, as the history lists it.

    ``revision`` and ``at`` are set by the store when it saves the version; ``before`` and
    ``after`` hold the changed actor or flow (``None`` for an addition or a removal), or
    the counts of the version for a whole load.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    toile_id: str
    version: str
    who: str
    action: EditAction
    target: str | None = None
    before: dict[str, JsonValue] | None = None
    after: dict[str, JsonValue] | None = None
    revision: int = 0
    at: dt.datetime | None = None

    def stamped(self, revision: int) -> EditRecord:
        """The record as saved: with its revision and the current UTC time."""
        return self.model_copy(update={"revision": revision, "at": dt.datetime.now(dt.UTC)})


def load_record(toile_id: str, version: str, *, who: str, actors: int, flows: int) -> EditRecord:
    """The record of a whole version loaded (from files, an import or a restore)."""
    return EditRecord(
        toile_id=toile_id,
        version=version,
        who=who,
        action=EditAction.CHARGEMENT,
        after={"actors": actors, "flows": flows},
    )
