from .alusta_forms import register

__all__ = ["register"]
