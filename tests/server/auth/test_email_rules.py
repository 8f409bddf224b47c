"""Email addresses as the server takes them (invitations, logins, `create-admin`): compared
lower-cased without surrounding blanks; anything that is not `local@domain` (no blank
inside, at most 320 characters, the limit of an address) is refused with INVALID_INPUT
and a sentence quoting what was given."""

from __future__ import annotations

import pytest

from proctor.server.auth.users import normalize_email
from proctor.server.errors import InvalidInput


def test_an_address_is_lower_cased_and_stripped():
    assert normalize_email("  Ana.Lopez@Example.COM \n") == "ana.lopez@example.com"
    assert normalize_email("a@b") == "a@b"


def test_the_longest_address_is_accepted_one_more_character_is_not():
    longest = "a" * 64 + "@" + "d" * 255
    assert len(longest) == 320 and normalize_email(longest) == longest
    with pytest.raises(InvalidInput):
        normalize_email(longest + "d")


@pytest.mark.parametrize(
    "given",
    ["ana.example.com", "@example.com", "ana@", "@", "ana @example.com", "ana@exa\tmple.com", ""],
)
def test_what_is_not_an_address_is_refused_quoting_it(given: str):
    with pytest.raises(InvalidInput) as refused:
        normalize_email(given)
    assert refused.value.message == f"Not an email address: {given!r}"


def test_a_long_refused_value_is_quoted_to_100_characters():
    given = "x" * 150
    with pytest.raises(InvalidInput) as refused:
        normalize_email(given)
    assert refused.value.message == f"Not an email address: {'x' * 100!r}"


@pytest.mark.parametrize("given", [None, 42, ["a@b"]])
def test_no_text_at_all_asks_for_an_address(given: object):
    with pytest.raises(InvalidInput) as refused:
        normalize_email(given)
    assert refused.value.message == "An email address is required."
