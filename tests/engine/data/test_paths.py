"""Compiled paths: the short walks for `$.a` and `$.a.b` find what the general walk finds."""

from hypothesis import given
from hypothesis import strategies as st

from engine.data.paths import compile_path
from engine.json import MISSING

NAMES = st.sampled_from(["a", "b", "c"])
DOCS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=2),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3),
    max_leaves=12,
)


def walk(doc, keys):
    for key in keys:
        if isinstance(key, str):
            if type(doc) is not dict or key not in doc:
                return MISSING
            doc = doc[key]
        else:
            if type(doc) is not list or not -len(doc) <= key < len(doc):
                return MISSING
            doc = doc[key]
    return doc


@given(DOCS, st.lists(NAMES | st.integers(-3, 3), max_size=4))
def test_a_compiled_path_finds_what_walking_its_keys_finds(doc, keys):
    text = "$" + "".join(f".{key}" if isinstance(key, str) else f"[{key}]" for key in keys)
    path = compile_path(text)

    found = path.find(doc)

    assert path.keys == tuple(keys)
    expected = walk(doc, keys)
    assert found is expected or found == expected


def test_a_name_on_a_non_object_finds_nothing():
    assert compile_path("$.a").find([1]) is MISSING
    assert compile_path("$.a.b").find({"a": 3}) is MISSING
    assert compile_path("$.a.b").find({"a": {"b": False}}) is False
