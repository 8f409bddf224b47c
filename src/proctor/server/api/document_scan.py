"""A lexer-level look at a GraphQL document, before graphql-core parses it.

graphql-core's parser is pure Python: a document of 20,000 tokens (the token limit) costs
about 100 ms of CPU to parse, and a megabyte of aliases used to be parsed up to that limit
before anything refused it, on the event loop, for every such request. `scan_document`
reads the source with one regular expression, token after token, and stops at the first
limit passed:

- more than `max_tokens` tokens (comments included, as graphql-core counts them);
- more than `max_aliases` aliases (`name:` in a selection set, outside any parentheses);
- more than `max_fields` fields written in the document (fragments not expanded: the walk
  in `request_limits.py` counts those once the document is parsed).

So a megabyte of aliases is refused after its first 51 aliases (a few hundred bytes read).
Counts are lower bounds of what the parsed document holds (a field in a fragment counts
once here, once per use there), so a document this scan refuses would be refused after
parsing too, with the same code; the scan never refuses a document the walk would accept.
Only executable definitions (operations and fragments) are counted: type definitions are
graphql-core's validation's business. Anything this scan cannot read (a syntax error) is
left to the parser, which reports it properly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from proctor.server.api.request_limit_values import RequestLimits

# `re` holds the GIL for a whole match, whichever thread runs it: no single match may
# read more than about this many characters (a few milliseconds), or a long string in a
# hostile document would stall the event loop as surely as parsing it there.
_CHUNK = 65_536

# One token, or a bounded run of ignored characters. Tokens that can be long (comments,
# strings, names, numbers) are matched by their start here and read on by `_end_of`.
# Comments are tokens (graphql-core counts them towards max_tokens).
_UP_TO = f"{{0,{_CHUNK}}}+"  # a possessive `{0,_CHUNK}`
_TOKEN = re.compile(
    r"(?P<ignored>[\s,\ufeff]" + f"{{1,{_CHUNK}}}+)"
    r"|(?P<comment>\#)"
    r'|(?P<block>""")'
    r'|(?P<string>")'
    r"|(?P<spread>\.\.\.)"
    r"|(?P<name>[_A-Za-z][_0-9A-Za-z]" + _UP_TO + ")"
    r"|(?P<number>-?[0-9][0-9.eE+\-]" + _UP_TO + ")"
    r"|(?P<punct>[!$&()\[\]{}:=@|])"
)
# The rest of a token, at most `_CHUNK` characters per match; possessive, so a string
# that never ends fails in one pass, never by backtracking.
_RUNS = {
    "comment": re.compile(r"[^\n\r]" + _UP_TO),
    "name": re.compile(r"[_0-9A-Za-z]" + _UP_TO),
    "number": re.compile(r"[0-9.eE+\-]" + _UP_TO),
}
_QUOTED = {
    "string": re.compile(r'(?:[^"\\\n\r]{1,4096}+|\\.){0,16}+(?P<end>")?'),
    "block": re.compile(r'(?:[^"\\]{1,4096}+|\\"""|\\|"(?!"")){0,16}+(?P<end>""")?'),
}
_EXECUTABLE = frozenset({"query", "mutation", "subscription", "fragment"})
_TYPE_SYSTEM = frozenset(
    {"schema", "scalar", "type", "interface", "union", "enum", "input", "directive", "extend"}
)


@dataclass(frozen=True)
class ScanBreach:
    """The first limit the document passes, and where: `offset` in the source, and the
    same as a 1-based line and column."""

    code: str
    message: str
    offset: int
    line: int
    column: int


class _Counts:
    """What the scan has seen so far, and where the next name stands."""

    def __init__(self, limits: RequestLimits) -> None:
        self.limits = limits
        self.tokens = self.fields = self.aliases = 0
        self.braces = self.parens = 0  # braces outside parentheses (selection sets)
        self.executable = True  # the current definition is an operation or a fragment
        self.fragment = False  # ... and it is a fragment (whose depth the walk measures)
        self.named = False  # the current top-level definition has a keyword
        self.skip_name = False  # the next name is not a field: after `...`, `on`, `@`
        self.after_spread = False
        # Selection sets opened by a field (or the operation) count towards the depth;
        # those of inline fragments (`... on T {`) do not, nor anything under an
        # introspection field (`__schema { ... }`), as in the walk.
        self.levels: list[bool] = []
        self.depth = 0
        self.inline = False  # a `...` not yet followed by a field or `{`
        self.introspection = False  # the last field was `__something`
        self.exempt_from: int | None = None  # brace level of an introspection field's set

    def punctuator(self, text: str) -> tuple[str, str] | None:
        """The breach this punctuator makes, if any."""
        breach = None
        if text == "(":
            self.parens += 1
        elif text == ")":
            self.parens = max(0, self.parens - 1)
        elif self.parens == 0:
            if text == "{":
                breach = self._open()
            elif text == "}":
                self._close()
            elif text == ":" and self.braces > 0 and self.executable:
                # The name before was an alias, not a field: the field comes next.
                self.fields -= 1
                self.aliases += 1
                if self.aliases > self.limits.max_aliases:
                    breach = _too_large(
                        f"the query uses more than {self.limits.max_aliases} aliases"
                    )
        self.skip_name = text == "@"
        self.after_spread = False
        return breach

    def _open(self) -> tuple[str, str] | None:
        if self.braces == 0 and not self.named:
            self.executable, self.fragment = True, False  # `{ ... }` alone: a query
        self.braces += 1
        if self.introspection and self.exempt_from is None:
            self.exempt_from = self.braces
        counted = not self.inline
        self.levels.append(counted)
        self.depth += counted
        self.inline = self.introspection = False
        if (
            self.depth > self.limits.max_depth
            and self.executable
            and not self.fragment
            and self.exempt_from is None
        ):
            return "QUERY_TOO_DEEP", f"the query nests deeper than {self.limits.max_depth} levels"
        return None

    def _close(self) -> None:
        if self.exempt_from == self.braces:
            self.exempt_from = None
        self.braces = max(0, self.braces - 1)
        self.named = self.named and self.braces > 0
        self.depth -= self.levels.pop() if self.levels else 0
        self.inline = self.introspection = False

    def name(self, text: str) -> tuple[str, str] | None:
        """The breach this name makes, if any."""
        breach = None
        if self.braces == 0 and self.parens == 0:
            # A definition's keyword says whether it is executable; later words of its
            # header (names, type conditions) are never fields.
            if text in _EXECUTABLE and not self.named:
                self.executable = self.named = True
                self.fragment = text == "fragment"
            elif text in _TYPE_SYSTEM and not self.named:
                self.executable, self.named = False, True
        elif self.parens == 0 and self.executable:
            if self.skip_name:
                # `... on Type`: the type after `on` is not a field either.
                self.skip_name = self.after_spread and text == "on"
                self.after_spread = False
                return None
            self.fields += 1
            self.inline = False
            self.introspection = text.startswith("__")
            if self.fields > self.limits.max_fields:
                breach = _too_large(f"the query selects more than {self.limits.max_fields} fields")
        self.skip_name = self.after_spread = False
        return breach


def _too_large(what: str) -> tuple[str, str]:
    return "QUERY_TOO_LARGE", f"{what}: split it into smaller queries"


def scan_document(source: str, limits: RequestLimits) -> ScanBreach | None:
    """The first limit `source` passes (see the module docstring), or None."""
    counts = _Counts(limits)
    position = 0
    match = _TOKEN.match
    while True:
        found = match(source, position)
        if found is None:
            return None  # the end, or something only the parser can judge
        kind = found.lastgroup or ""
        if kind == "ignored":
            position = found.end()
            continue
        counts.tokens += 1
        if counts.tokens > limits.max_tokens:
            too_many = _too_large(f"the query has more than {limits.max_tokens} tokens")
            return _breach(source, found.start(), too_many)
        end = _end_of(kind, source, found.end())
        if end is None:
            return None  # a string that never ends: the parser says so
        position = end
        breach: tuple[str, str] | None = None
        if kind == "punct":
            breach = counts.punctuator(found.group(kind))
        elif kind == "name":
            breach = counts.name(found.group(kind))  # past `_CHUNK`, a prefix will do
        elif kind == "spread":
            counts.skip_name = counts.after_spread = counts.inline = True
        elif kind != "comment":
            counts.skip_name = counts.after_spread = False
        if breach is not None:
            return _breach(source, found.start(), breach)


def _end_of(kind: str, source: str, position: int) -> int | None:
    """Where the token that `_TOKEN` started (up to `position`) ends; None when it is a
    string that never ends."""
    run = _RUNS.get(kind)
    if run is not None:
        while True:
            found = run.match(source, position)
            if found is None or found.end() - position < _CHUNK:
                return found.end() if found is not None else position
            position = found.end()
    quoted = _QUOTED.get(kind)
    while quoted is not None:
        found = quoted.match(source, position)
        if found is None:
            return None
        if found.group("end") is not None:
            return found.end()
        if found.end() == position:
            return None
        position = found.end()
    return position


def _breach(source: str, offset: int, breach: tuple[str, str]) -> ScanBreach:
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return ScanBreach(breach[0], breach[1], offset, line, column)


__all__ = ["ScanBreach", "scan_document"]
