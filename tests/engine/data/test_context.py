"""Randomness made on demand: the same draws as before, and no generator where none is drawn from."""

import random

import pytest

from engine.data.context import NO_CONTEXT, NO_DRAWS, DeferredRandom
from engine.testing import machine_of, run

DRAWS = [
    lambda r: r.randrange(1, 1000),
    lambda r: r.getrandbits(128),
    lambda r: r.random(),
    lambda r: r.uniform(0, 5),
    lambda r: r.sample(range(100), 5),
    lambda r: r.randbytes(4),
]


@pytest.mark.parametrize("draw", DRAWS)
def test_a_deferred_generator_draws_what_a_seeded_one_draws(draw):
    deferred, seeded = DeferredRandom("seed:7"), random.Random("seed:7")

    assert [draw(deferred), draw(deferred)] == [draw(seeded), draw(seeded)]


def test_using_the_stand_ins_for_no_context_and_no_draws_is_an_error():
    with pytest.raises(AssertionError):
        NO_DRAWS.random()
    with pytest.raises(AssertionError):
        NO_CONTEXT.context_object()
    with pytest.raises(AssertionError):
        NO_CONTEXT.variable("x")


def test_an_intrinsic_that_cannot_draw_leaves_later_draws_unchanged():
    # A visit takes one place in the execution's random sequence whatever its intrinsics do.
    with_sum = machine_of(
        {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd(1, 2)", "u.$": "States.UUID()"}}
    )
    alone = machine_of({"Type": "Pass", "Parameters": {"u.$": "States.UUID()"}})

    first = run(with_sum, {}, seed="s" * 64).output
    second = run(alone, {}, seed="s" * 64).output

    assert first["u"] == second["u"]
    assert first["n"] == 3
