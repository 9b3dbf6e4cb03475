"""The integrated twin of blood formation (model) — see :mod:`hematwin.twin.model`."""

from hematwin.twin.model import twin_spec

__all__ = ["twin_spec"]
