from .alusta_gone import register

__all__ = ["register"]
