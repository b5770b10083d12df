from .alusta_images import register

__all__ = ["register"]
