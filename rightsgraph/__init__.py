"""rightsgraph: a knowledge graph of the follow-up to UN human-rights mechanisms."""

__version__ = "0.1.0"
