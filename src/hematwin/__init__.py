"""hematwin: a digital twin of human blood formation."""

__version__ = "0.1.0"
