from .alusta_seo import register

__all__ = ["register"]
