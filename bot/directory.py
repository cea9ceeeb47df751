"""Finding citizens, companies and colleagues by a name as typed: typos, missing æøå, handles.

A `NameIndex` holds folded name parts for one kind of record. It is rebuilt only when the
database's directory version changes, so a lookup among 100,000 citizens costs one tiny query
and a few set operations, not a table scan.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.fold import fold
from kernel.vocabulary import CitizenStatus
from store.models import Citizen, Company, DirectoryState, Staff

HANDLE = re.compile(r"^[a-zæøå]{1,3}-\d{1,6}$", re.IGNORECASE)
FUZZY_CUTOFF = 75.0
PREFIX_SCORE = 92.0


@dataclass(frozen=True)
class Record:
    """One findable thing: its id, the name to show, and the facts ranking needs."""

    id: int
    name: str
    handle: str = ""
    owner_id: int | None = None
    team_id: int | None = None
    ended: bool = False


@dataclass
class Match:
    record: Record
    score: float


@dataclass
class NameIndex:
    """Folded name parts -> record ids, for one kind of record."""

    records: dict[int, Record] = field(default_factory=dict)
    by_part: dict[str, set[int]] = field(default_factory=dict)
    by_handle: dict[str, int] = field(default_factory=dict)
    by_owner: dict[int | None, set[int]] = field(default_factory=dict)
    by_team: dict[int | None, set[int]] = field(default_factory=dict)
    ended: set[int] = field(default_factory=set)
    name_order: dict[int, int] = field(default_factory=dict)  # id -> rank by (name, id)
    parts: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, records: Iterable[Record]) -> NameIndex:
        index = cls()
        for record in records:
            index.records[record.id] = record
            for part in fold(record.name.replace("-", " ")).split():
                index.by_part.setdefault(part, set()).add(record.id)
            if record.handle:
                index.by_handle[record.handle.casefold()] = record.id
            index.by_owner.setdefault(record.owner_id, set()).add(record.id)
            index.by_team.setdefault(record.team_id, set()).add(record.id)
            if record.ended:
                index.ended.add(record.id)
        index.parts = sorted(index.by_part)
        ranked = sorted(index.records.values(), key=lambda r: (r.name, r.id))
        index.name_order = {r.id: rank for rank, r in enumerate(ranked)}
        return index

    def owned_by(self, owner_id: int | None, team_id: int | None = None) -> set[int]:
        """Ids of the records `owner_id` owns, plus those of team `team_id` if given."""
        own = self.by_owner.get(owner_id, set())
        return own | self.by_team.get(team_id, set()) if team_id is not None else own

    def _part_scores(self, token: str) -> dict[str, float]:
        """The name parts `token` could be, each with its best score: exact, prefix, fuzzy."""
        found: dict[str, float] = {}
        if len(token) >= 3:
            for part, score, _ in process.extract(
                token, self.parts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
            ):
                found[part] = float(score)
        if len(token) >= 2:
            i = bisect_left(self.parts, token)
            while i < len(self.parts) and self.parts[i].startswith(token):
                found[self.parts[i]] = max(found.get(self.parts[i], 0.0), PREFIX_SCORE)
                i += 1
        if token in self.by_part:
            found[token] = 100.0
        return found

    def _token_scores(self, token: str, allowed: set[int] | None) -> dict[int, float]:
        """Each record id that `token` could name, with the best score of its name parts."""
        scores: dict[int, float] = {}
        # Best part first, so each id keeps the first score it gets. A common name holds
        # thousands of ids: set operations and dict.fromkeys do the work without a Python loop.
        for part, score in sorted(self._part_scores(token).items(), key=lambda ps: -ps[1]):
            ids = self.by_part[part]
            fresh = (ids if allowed is None else allowed.intersection(ids)) - scores.keys()
            scores.update(dict.fromkeys(fresh, score))
        return scores

    def search(self, query: str, allowed: set[int] | None = None) -> list[Match]:
        """Records (among `allowed` ids, if given) whose name matches every word of `query`."""
        return [
            Match(self.records[rid], score) for rid, score in self.scores(query, allowed).items()
        ]

    def scores(self, query: str, allowed: set[int] | None = None) -> dict[int, float]:
        """Like `search`, as record id -> score (0-100): no objects for thousands of hits."""
        if HANDLE.match(query.strip()):
            rid = self.by_handle.get(query.strip().casefold())
            if rid is None or (allowed is not None and rid not in allowed):
                return {}
            return {rid: 100.0}
        tokens = fold(query.replace("-", " ")).split()
        if not tokens:
            return {}
        combined: dict[int, float] | None = None
        for token in tokens:
            scores = self._token_scores(token, allowed)
            if combined is None:
                combined = scores
            else:
                combined = {rid: combined[rid] + s for rid, s in scores.items() if rid in combined}
            if not combined:
                return {}
        assert combined is not None
        if len(tokens) == 1:
            return combined
        n = len(tokens)
        return {rid: total / n for rid, total in combined.items()}


class Directory:
    """Per-process caches of the name indexes, invalidated by the database's version counter."""

    def __init__(self) -> None:
        self._version: int | None = None
        self._citizens: NameIndex | None = None
        self._companies: NameIndex | None = None
        self._staff: NameIndex | None = None

    def invalidate(self) -> None:
        """Drop every cached index; the next lookup reloads."""
        self._version = None
        self._citizens = self._companies = self._staff = None

    def _fresh(self, session: Session) -> None:
        version = session.scalar(select(DirectoryState.version).where(DirectoryState.id == 1))
        if version != self._version:
            self._version = version
            self._citizens = self._companies = self._staff = None

    def citizens(self, session: Session) -> NameIndex:
        self._fresh(session)
        if self._citizens is None:
            rows = session.execute(
                select(
                    Citizen.id,
                    Citizen.full_name,
                    Citizen.handle,
                    Citizen.owner_id,
                    Citizen.team_id,
                    Citizen.status,
                )
            )
            self._citizens = NameIndex.build(
                Record(r[0], r[1], r[2] or "", r[3], r[4], r[5] == CitizenStatus.ENDED)
                for r in rows
            )
        return self._citizens

    def companies(self, session: Session) -> NameIndex:
        self._fresh(session)
        if self._companies is None:
            rows = session.execute(select(Company.id, Company.name, Company.owner_id))
            self._companies = NameIndex.build(Record(r[0], r[1], "", r[2]) for r in rows)
        return self._companies

    def staff(self, session: Session) -> NameIndex:
        self._fresh(session)
        if self._staff is None:
            rows = session.execute(select(Staff.id, Staff.display_name, Staff.team_id))
            self._staff = NameIndex.build(Record(r[0], r[1], "", r[0], r[2]) for r in rows)
        return self._staff
