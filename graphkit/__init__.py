"""graphkit: a knowledge graph and cross-plan search tool for public-sector action plans."""

__version__ = "0.1.0"
