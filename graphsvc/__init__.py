"""graphsvc: account-based qualification graph service (MQA / SQL with buying-center coverage)."""

__version__ = "0.1.0"

__all__ = ["__version__"]
