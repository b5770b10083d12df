"""Settings are read once, typed, and only alusta/settings/environment.py reads the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alusta.errors import ConfigError
from alusta.settings import FeedbackSettings, SmtpSettings
from tests.project import REPO, project_settings

ENVIRONMENT_READ = re.compile(r"os\.environ|os\.getenv|getenv\(")
# Modules that hand the whole environment on to a child process (not a setting of ours).
PASSES_ENVIRONMENT_ON = {"alusta/deploy/gitbranch.py"}


def test_feedback_settings_are_typed_with_defaults(project: Path) -> None:
    settings = project_settings(project)
    assert settings.feedback == FeedbackSettings(rate_limit_per_minute=10, min_fill_seconds=3)
    assert settings.s3_endpoint_url == ""


def test_smtp_settings_come_from_the_environment(project: Path) -> None:
    settings = project_settings(
        project,
        ALUSTA_SMTP_HOST="mail.example",
        ALUSTA_SMTP_PORT="25",
        ALUSTA_SMTP_STARTTLS="0",
        ALUSTA_FEEDBACK_MIN_FILL_SECONDS="0",
        ALUSTA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert settings.feedback.smtp == SmtpSettings(host="mail.example", port=25, starttls=False)
    assert settings.feedback.min_fill_seconds == 0
    assert settings.s3_endpoint_url == "http://127.0.0.1:9000"


def test_a_bad_number_names_the_environment_variable(project: Path) -> None:
    with pytest.raises(ConfigError, match=r"ALUSTA_SMTP_PORT='twenty': expected a whole number"):
        project_settings(project, ALUSTA_SMTP_HOST="mail.example", ALUSTA_SMTP_PORT="twenty")


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = sorted(
        path.relative_to(REPO).as_posix()
        for folder in ("alusta", "plugins")
        for path in (REPO / folder).rglob("*.py")
        if ENVIRONMENT_READ.search(path.read_text(encoding="utf-8"))
    )
    assert [r for r in readers if r not in PASSES_ENVIRONMENT_ON] == [
        "alusta/settings/environment.py"
    ]
