"""Local functions for the production-mode tests; the worker processes import this module too
(STATECRAFT_FUNCTION_MODULES=workload)."""

from designer import functions


@functions.register("bump")
def bump(event):
    return event["n"] + 1


@functions.register("square")
def square(event):
    return event * event
