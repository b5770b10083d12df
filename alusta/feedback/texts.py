"""The words around feedback forms, thank-you and results pages (gettext msgids).

Answers to a form's questions come from its definition; these are the fixed parts, in
English here and in Finnish, Swedish and English in theme/translations (alusta.i18n.texts).
Placeholders are `str.format` fields the templates fill in.
"""

from __future__ import annotations

from alusta.i18n.texts import N_, translate

UI: dict[str, str] = {
    "required": N_("required"),
    "optional": N_("optional"),
    "send": N_("Send feedback"),
    "errors_title": N_("Please check these answers"),
    "honeypot": N_("Leave this field empty"),
    "retention": N_("Answers are kept for {days} days and then deleted."),
    "personal": N_("Your personal data is used only to handle this feedback."),
    "scale_low": N_("1 = {text}"),
    "scale_high": N_("5 = {text}"),
    "thanks_title": N_("Thank you for your feedback"),
    "back": N_("Back to the site"),
    "results_title": N_("Results: {title}"),
    "responses": N_("Responses in total: {count}"),
    "too_few": N_("Results are shown once there are at least {count} responses."),
    "mean": N_("Mean {mean} ({count} responses)"),
    "chart": N_("Bar chart: {label}"),
    "count_of": N_("{label}: {count}"),
    "refused_title": N_("Your feedback could not be accepted"),
    "too_large": N_("The form is too large."),
    "form_missing": N_("There is no such form."),
    "try_again": N_("Go back to the previous page and try again in a moment."),
    "results_updated": N_("Updated {date} at {time}."),
    "see_results": N_("See the results so far"),
    # Why a submission was refused (the `code` of the refusal), for the person who sent it.
    "refused_unavailable": N_("The form cannot be used right now."),
    "refused_bad_body": N_("The form did not arrive whole."),
    "refused_token": N_("The form's timestamp is not valid; reload the page."),
    "refused_too_fast": N_("The form was sent faster than a person can fill it in."),
    "refused_honeypot": N_("The form was filled in by software."),
}


def ui(lang: str) -> dict[str, str]:
    """The texts of one language; Finnish for anything else."""
    return {key: translate(message, lang) for key, message in UI.items()}
