"""JSON sizes: the 256 KiB limit check counts the bytes of compact UTF-8 JSON, whatever is remembered."""

import json

from hypothesis import given
from hypothesis import strategies as st

from engine.json import remember_set, size_of

KEYS = st.sampled_from(["a", "b", "é", 'k"', "😀", "\n", "step"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=20) | st.dictionaries(KEYS | st.text(max_size=3), inner, max_size=20)
    ),
    max_leaves=60,
)


def encoded_size(value):
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode())


@given(VALUES)
def test_size_of_is_the_length_of_compact_utf8_json(value):
    first = size_of(value)

    again = size_of(value)

    assert first == again == encoded_size(value)


@given(st.dictionaries(KEYS, VALUES, max_size=20), KEYS, VALUES, st.booleans())
def test_a_remembered_write_has_the_size_of_its_encoding(old, key, value, old_was_sized):
    if old_was_sized:
        size_of(old)
    new = {**old, key: value}

    remember_set(new, old, key, value)

    assert size_of(new) == encoded_size(new)


def test_a_wrapper_around_a_big_shared_payload_is_sized_without_encoding_it_again():
    payload = {"rows": [{"id": i, "name": f"row-{i}"} for i in range(2000)]}
    size = size_of(payload)

    wrapper = {"step": 1, "payload": payload}

    assert size_of(wrapper) == size + len('{"step":1,"payload":}')
