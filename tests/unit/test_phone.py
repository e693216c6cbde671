import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import BadPhoneNumber
from app.phone import format_msisdn, parse_msisdn


@pytest.mark.parametrize(
    "text",
    [
        "+79161234567",
        "+7 916 123-45-67",
        "+7 (916) 123-45-67",
        "8 916 123 45 67",
        "8(916)1234567",
        "89161234567",
        "79161234567",
        "9161234567",
        " 8-916-123-45-67 ",
        "8.916.123.45.67",
    ],
)
def test_the_ways_people_write_a_russian_mobile_number(text: str) -> None:
    assert parse_msisdn(text) == "+79161234567"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "Enter"),
        ("   ", "Enter"),
        ("abc", "not a phone number"),
        ("8-800-FLOWERS", "not a phone number"),
        ("+7 916 123-45-67 ext 5", "not a phone number"),
        ("++79161234567", "not a phone number"),
        ("+7 916 12", "not a valid Russian"),
        ("+7 701 123 4567", "not a valid Russian"),  # Kazakhstan shares +7
        ("+44 20 7946 0958", "not a valid Russian"),
        ("8 495 123-45-67", "landline"),
        ("916123456789012", "not a valid Russian"),
    ],
)
def test_anything_else_is_refused_with_a_sentence(text: str, why: str) -> None:
    with pytest.raises(BadPhoneNumber, match=why):
        parse_msisdn(text)


def test_format_for_reading() -> None:
    assert format_msisdn("+79161234567") == "+7 916 123-45-67"


subscriber_digits = st.from_regex(r"9[0-9]{9}", fullmatch=True)
separators = st.sampled_from(["", " ", "-", ".", "  "])


@given(subscriber_digits, separators, st.sampled_from(["+7", "8", "7", ""]), st.booleans())
def test_every_writing_of_a_number_gives_the_same_e164(
    digits: str, sep: str, prefix: str, brackets: bool
) -> None:
    code, rest = digits[:3], digits[3:]
    area = f"({code})" if brackets else code
    text = sep.join([prefix, area, rest[:3], rest[3:5], rest[5:]]).strip(sep) if prefix else (
        sep.join([area, rest[:3], rest[3:5], rest[5:]])
    )
    try:
        result = parse_msisdn(text)
    except BadPhoneNumber:
        return  # an unassigned 9xx range is refused, which is fine; it must not crash
    assert result == "+7" + digits


@given(st.text(max_size=40))
def test_arbitrary_text_gives_a_number_or_a_sentence_never_a_crash(text: str) -> None:
    try:
        result = parse_msisdn(text)
    except BadPhoneNumber as error:
        assert str(error)
    else:
        assert result.startswith("+7") and len(result) == 12
