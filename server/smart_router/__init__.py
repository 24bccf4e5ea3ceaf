"""Smart Router: a cost-aware LLM router behind a VS Code extension and a command line."""

__all__ = ["__version__"]

__version__ = "0.1.0"
