"""The theme's languages: gettext catalogs from .po files and dates per language.

Shared by the alusta_i18n Pelican plugin (whole pages) and alusta.responses (the responses
fragment a refresh re-renders), so both say and format everything the same way.
"""

LANGUAGES = ("fi", "sv", "en")  # Finnish first: the default wherever no language is known
DEFAULT_LANGUAGE = LANGUAGES[0]
