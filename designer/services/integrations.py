"""The Task integrations a durable execution uses: local functions, HTTP and nested executions.

Activities and plain `.waitForTaskToken` callbacks need no adapter call here: their tasks wait
in the TaskToken table (see effects.py and callbacks.py).
"""

from __future__ import annotations

import functools

from django.conf import settings

from designer import functions
from designer.models import Execution
from engine.integrations import AddressPolicy, HttpIntegration, Integrations, standard


@functools.cache
def http() -> HttpIntegration:
    return HttpIntegration(policy=AddressPolicy(allow=tuple(settings.STATECRAFT["HTTP_ALLOW"])))


def for_execution(execution: Execution) -> Integrations:
    from designer.services import children  # children starts executions, which import us

    return standard(
        functions=functions.registry,
        http=http(),
        start_child=functools.partial(children.start_child, execution),
    )
