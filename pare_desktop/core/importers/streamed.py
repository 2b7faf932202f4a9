"""A data·inclusion file read as a stream: its records built chunk by chunk as the directory writes them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from pare_desktop.core.importers.batch import BatchBuilder, Reject
from pare_desktop.core.importers.datainclusion import Scan, built, scan_datainclusion
from pare_desktop.core.records import Structure

CHUNK = 5000


class _Sink(BatchBuilder):
    """A BatchBuilder that hands its records on in chunks instead of holding them (ids and rejects kept)."""

    def __init__(self, source: str, fmt: str) -> None:
        super().__init__(source, fmt)
        self.chunk: list[Structure] = []
        self.count = 0

    def _keep(self, record: Structure) -> None:
        self.chunk.append(record)  # (counted as the chunk is handed on)

    def take(self, result: Structure | list[Reject], location: str, raw: Mapping[str, str]) -> None:
        """BatchBuilder.take, a record with a new id kept without the calls between (100,000 of them)."""
        if result.__class__ is Structure and result.id not in self._where:
            self.chunk.append(result)
            self._where[result.id] = location
        else:
            super().take(result, location, raw)


class StreamedBatch:
    """What read_file(..., stream=True) gives for a data·inclusion file: the file checked once (the
    schema, the services' offer), its records built again at each reading (`chunks`), never all held.

    The rejects, warnings and counts are those of the last complete reading (one is made on first use
    if none was). The same rules as ImportBatch: first id wins, duplicates rejected with their line.
    """

    fmt = "datainclusion"
    columns: tuple[tuple[str, str], ...] = ()
    type_values: tuple[()] = ()
    shape = ""

    def __init__(self, scan: Scan) -> None:
        self._scan = scan
        self.source = scan.source
        self.total_rows = scan.total_rows
        self.services_only = scan.services_only
        self._done: _Sink | None = None

    @property
    def size_hint(self) -> int:
        """At most this many records (the structures, or the services' structures, that passed the schema)."""
        return len(self._scan.services) if self.services_only else len(self._scan.structures)

    def chunks(self, size: int = CHUNK) -> Iterator[list[Structure]]:
        """The records in file order, `size` at a time, built from the file as they are asked for."""
        sink = _Sink(self.source, self.fmt)
        sink.reject(self._scan.rejects)
        where_of, take = sink._where, sink.take
        for result, where, raw in built(self._scan, sink.notes):
            if result.__class__ is Structure and result.id not in where_of:  # _Sink.take's first way
                sink.chunk.append(result)
                where_of[result.id] = where
            else:
                take(result, where, raw)
            if len(sink.chunk) >= size:
                sink.count += len(sink.chunk)
                yield sink.chunk
                sink.chunk = []
        if sink.chunk:
            sink.count += len(sink.chunk)
            yield sink.chunk
            sink.chunk = []
        self._done = sink

    def _complete(self) -> _Sink:
        if self._done is None:
            for _ in self.chunks():
                pass
        assert self._done is not None
        return self._done

    @property
    def rejects(self) -> tuple[Reject, ...]:
        return tuple(self._complete()._rejects)

    @property
    def rejected_rows(self) -> int:
        return len({r.location for r in self.rejects})

    @property
    def warnings(self) -> tuple[str, ...]:
        return self._complete().notes.warnings()

    @property
    def valid(self) -> int:
        return self._complete().count

    @property
    def records(self) -> tuple[Structure, ...]:
        """Every record at once, for a caller that needs them all (the streamed paths never ask)."""
        return tuple(s for chunk in self.chunks() for s in chunk)


def stream_datainclusion(path: Path, *, source: str | None, origin: str) -> StreamedBatch:
    """The file checked (first pass), its records left to be built as they are read."""
    return StreamedBatch(scan_datainclusion(path, source=source, origin=origin))
