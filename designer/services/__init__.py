"""Use cases: the only code that writes models. One use case per function, one transaction each."""
