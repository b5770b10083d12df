from .alusta_frames import register

__all__ = ["register"]
