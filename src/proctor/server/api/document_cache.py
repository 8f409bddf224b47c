"""`ValidDocuments`: documents that parsed and validated, kept by their text.

The UI, the agents and the run processes send the same few dozen documents again and
again (the runs list every few seconds, `setTaskRunStates` for every batch); parsing and
validating them again was about a fifth of the server's time for a runs list. A document
that passed is kept here, so a repeated one costs only the limits check (its cost depends
on the variables, so it runs every time) and the execution.

Only short documents (what `document_worker` handles on the event loop) and only valid
ones are kept, in a bounded LRU: a client sending endless different documents costs a
few hundred small entries at most, and a refused document is never kept. One cache
serves one schema; the key holds graphql-core's rules and the request limits, so a
document is only reused where it would pass them again. Rules made for each request (who
may run the operation) are not graphql-core's and run for every request. The parsed
tree is shared between requests, which graphql-core and strawberry only read.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from graphql import DocumentNode

from proctor.server.api.document_worker import INLINE_CHARACTERS

MAX_DOCUMENTS = 256


class ValidDocuments:
    """A bounded LRU of (schema, rules, limits, text) -> parsed, validated document."""

    def __init__(self, max_documents: int = MAX_DOCUMENTS) -> None:
        self.max_documents = max_documents
        self._documents: OrderedDict[Hashable, DocumentNode] = OrderedDict()

    @staticmethod
    def key(text: str, *context: Hashable) -> Hashable | None:
        """The key of `text` under `context`, or None for a text too long to keep."""
        return (text, *context) if 0 < len(text) <= INLINE_CHARACTERS else None

    def get(self, key: Hashable | None) -> DocumentNode | None:
        if key is None:
            return None
        document = self._documents.get(key)
        if document is not None:
            self._documents.move_to_end(key)
        return document

    def keep(self, key: Hashable | None, document: DocumentNode) -> None:
        if key is None or self.max_documents <= 0:
            return
        self._documents[key] = document
        self._documents.move_to_end(key)
        while len(self._documents) > self.max_documents:
            self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)


__all__ = ["MAX_DOCUMENTS", "ValidDocuments"]
