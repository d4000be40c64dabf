"""Exceptions of toiles: one root, and subclasses that also inherit the matching builtin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


class ToilesError(Exception):
    """Root of every error raised by toiles."""


@dataclass(frozen=True)
class Problem:
    """One problem found in input data, located precisely enough to fix it.

    ``line`` is the line as a spreadsheet shows it (the header is line 1).
    """

    file: str
    line: int | None
    column: str | None
    message: str
    value: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" {self.column}:" if self.column else ""
        value = f" (valeur : « {self.value} »)" if self.value not in (None, "") else ""
        tag = "" if self.severity == "error" else " [avertissement]"
        return f"{where}:{column} {self.message}{value}{tag}"


class ValidationError(ToilesError, ValueError):
    """Input data has errors; ``problems`` lists every one of them (warnings too)."""

    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = problems
        self.source = source
        errors = [p for p in problems if p.severity == "error"]
        where = f" dans {source}" if source else ""
        first = f" ; première : {errors[0]}" if errors else ""
        super().__init__(f"{len(errors)} erreur(s){where}{first}")

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the problems (an import or analysis run in another process raises it)."""
        return (_rebuild, (type(self), self.problems, self.source))

    @property
    def errors(self) -> list[Problem]:
        """The problems that block a load (warnings left out)."""
        return [p for p in self.problems if p.severity == "error"]


class UnitError(ToilesError, ValueError):
    """A unit is unknown, or quantities of different families were mixed."""


class ToileNotFound(ToilesError, KeyError):
    """No toile (or no such version of it) in the store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "toile introuvable"


class ActorNotFound(ToilesError, KeyError):
    """An actor id does not exist in the toile."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "acteur introuvable"


class FlowNotFound(ToilesError, KeyError):
    """A flow id does not exist in the toile."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "flux introuvable"


class ApiKeyNotFound(ToilesError, KeyError):
    """No API key with this id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "clé d'API introuvable"


class StoreError(ToilesError):
    """A store failed to read or write; the backend's exception is chained."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (server down, bad credentials, missing file)."""


class AnalysisError(ToilesError, ValueError):
    """An analysis cannot run on this toile with these options."""


class WriteRefused(StoreError):
    """A read-only Cypher query tried to write; the database refused it."""


class InvalidCypher(StoreError, ValueError):
    """A Cypher query or one of its parameters is malformed."""


class RevisionConflict(ToilesError, ValueError):
    """A write was based on a revision of a toile version that is no longer the stored one.

    Someone else saved the version in between: the write is refused, nothing is lost, and
    the caller reads the version again before redoing its change.
    """


class TooLarge(ValidationError):
    """An input (upload, archive member, answer) is larger than its cap."""


class OverBudget(ToilesError):
    """A computation took longer than its time budget and was stopped."""


def _rebuild(kind: type[ValidationError], problems: list[Problem], source: str) -> ValidationError:
    return kind(problems, source=source)
