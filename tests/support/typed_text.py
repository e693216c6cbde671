"""What a clerk — or a hostile script — may type into any field, for property tests."""

from __future__ import annotations

from hypothesis import strategies as st

# What broke before, or could: digits that are not ASCII (superscript, Arabic-Indic,
# Devanagari, full-width), every kind of line break and blank, NUL, ESC, DEL, C1 controls, a
# bidi override, zero-width characters, and the usual separators around numbers.
TRICKY = ("0123456789+-.():/ \t\u00a0\u202f\u2010\u2011\u2013\u2028\u2029\n\r\x00\x1b\x7f"
          "\x85\x9b\u202e\u200b\ufeff²³¹٠١٢٣٤٥٦٧٨٩०१२३०９８７ЖяZz_#\\'\"%")


def typed_text(extra: str = "") -> st.SearchStrategy[str]:
    """Any text; text from the tricky alphabet (plus `extra`); ASCII digits around an odd
    character; and numbers of thousands of digits."""
    tricky = st.text(alphabet=TRICKY + extra, max_size=40)
    digits = st.text(alphabet="0123456789", min_size=1, max_size=24)
    odd = st.sampled_from([c for c in TRICKY + extra if not c.isascii() or not c.isprintable()])
    return st.one_of(
        st.text(max_size=60),
        tricky,
        st.builds(lambda a, c, b: a + c + b, digits, odd, digits),
        st.builds(lambda head, n, tail: head + "9" * n + tail, digits, st.integers(4000, 6000),
                  digits),
    )
