"""Pelican settings of the main blog: plain constants and one dict per concern, no logic.

Pilots are configured in pilots/<slug>/pilot.toml; alusta.settings reads both.
"""

SITENAME = "Alusta – Lapin living lab -hanke"
SITEURL = "https://alusta.example"
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Europe/Helsinki"
DEFAULT_LANG = "fi"
AUTHOR = "Alusta-hanke"
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 50

# The main site as a pilot.toml would describe it (see README, "Pilot maintainers").
ALUSTA_SITE = {
    "name": "Alusta – Lapin living lab -hanke",
    "tagline": "Yhteiskehittämistä Lapin kylissä, tuntureilla ja rajalla",
    "language": "fi",
    "accent_color": "#0b5cad",
    "moderation": "auto",
    "menu": [
        {"title": "Tietoa hankkeesta", "url": "tietoa-hankkeesta/"},
        {"title": "Pilotit", "url": "pilotit/"},
    ],
}

# Where the endpoint keeps its data (relative to the project; ALUSTA_DATABASE overrides).
ALUSTA_DATABASE = "var/alusta.sqlite3"
# Public base URL of the endpoint; empty means SITEURL (ALUSTA_ENDPOINT_URL overrides).
ALUSTA_ENDPOINT_URL = ""
# Read responses from this endpoint's GET /mentions instead of the database (a build on
# another machine); empty means the database above (ALUSTA_MENTIONS_URL overrides).
ALUSTA_MENTIONS_URL = ""
