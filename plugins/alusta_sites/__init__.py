from .alusta_sites import register

__all__ = ["register"]
