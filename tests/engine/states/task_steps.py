"""What the Task tests share: resources, a Task builder, stepping by hand, a flaky function."""

import engine

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:{}"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
SERVICE = "arn:aws:states:::sns:publish"
T0 = 1_000_000.0


def task(resource=SERVICE, **fields):
    return {"Type": "Task", "Resource": resource, **fields}


def begin(machine, value=None, now=T0, seed="7" * 64):
    return engine.start(machine, engine.Start(input=value, seed=seed), now)


def only(step, kind):
    found = [e for e in step.effects if isinstance(e, kind)]
    assert len(found) == 1, step.effects
    return found[0]


def timers(step, purpose):
    return [e for e in step.effects if isinstance(e, engine.StartTimer) and e.purpose == purpose]


def types(step):
    return [event["type"] for event in step.events]


class Flaky:
    """A local function that raises `error` for its first `failures` calls, then returns its event."""

    def __init__(self, failures, error=ValueError):
        self.failures = failures
        self.error = error
        self.calls = 0

    def __call__(self, event):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error(f"failure {self.calls}")
        return {"calls": self.calls, "event": event}
