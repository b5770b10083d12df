"""The words around feedback forms, thank-you and results pages, in Finnish, Swedish, English.

Answers to a form's questions come from its definition; these are the fixed parts.
"""

from __future__ import annotations

from alusta.sites import LANGUAGES

UI: dict[str, dict[str, str]] = {
    "fi": {
        "required": "pakollinen",
        "optional": "vapaaehtoinen",
        "send": "Lähetä palaute",
        "errors_title": "Tarkista nämä kohdat",
        "honeypot": "Jätä tämä kenttä tyhjäksi",
        "retention": "Vastauksia säilytetään {days} päivää, minkä jälkeen ne poistetaan.",
        "personal": "Henkilötietojasi käytetään vain tämän palautteen käsittelyyn.",
        "scale_low": "1 = {text}",
        "scale_high": "5 = {text}",
        "thanks_title": "Kiitos palautteestasi",
        "back": "Takaisin sivustolle",
        "results_title": "Tulokset: {title}",
        "responses": "Vastauksia yhteensä: {count}",
        "too_few": "Tulokset näytetään, kun vastauksia on vähintään {count}.",
        "mean": "Keskiarvo {mean} ({count} vastausta)",
        "chart": "Pylväskaavio: {label}",
        "count_of": "{label}: {count}",
        "refused_title": "Palautetta ei voitu ottaa vastaan",
        "too_large": "Lomake on liian suuri.",
        "form_missing": "Lomaketta ei löydy.",
        "try_again": "Palaa edelliselle sivulle ja yritä uudelleen hetken kuluttua.",
        "results_updated": "Päivitetty {date}.",
    },
    "sv": {
        "required": "obligatorisk",
        "optional": "frivillig",
        "send": "Skicka respons",
        "errors_title": "Kontrollera följande",
        "honeypot": "Lämna det här fältet tomt",
        "retention": "Svaren sparas i {days} dagar och raderas sedan.",
        "personal": "Dina personuppgifter används bara för att behandla den här responsen.",
        "scale_low": "1 = {text}",
        "scale_high": "5 = {text}",
        "thanks_title": "Tack för din respons",
        "back": "Tillbaka till webbplatsen",
        "results_title": "Resultat: {title}",
        "responses": "Svar sammanlagt: {count}",
        "too_few": "Resultaten visas när det finns minst {count} svar.",
        "mean": "Medelvärde {mean} ({count} svar)",
        "chart": "Stapeldiagram: {label}",
        "count_of": "{label}: {count}",
        "refused_title": "Responsen kunde inte tas emot",
        "too_large": "Formuläret är för stort.",
        "form_missing": "Formuläret finns inte.",
        "try_again": "Gå tillbaka till föregående sida och försök igen om en stund.",
        "results_updated": "Uppdaterat {date}.",
    },
    "en": {
        "required": "required",
        "optional": "optional",
        "send": "Send feedback",
        "errors_title": "Please check these answers",
        "honeypot": "Leave this field empty",
        "retention": "Answers are kept for {days} days and then deleted.",
        "personal": "Your personal data is used only to handle this feedback.",
        "scale_low": "1 = {text}",
        "scale_high": "5 = {text}",
        "thanks_title": "Thank you for your feedback",
        "back": "Back to the site",
        "results_title": "Results: {title}",
        "responses": "Responses in total: {count}",
        "too_few": "Results are shown once there are at least {count} responses.",
        "mean": "Mean {mean} ({count} responses)",
        "chart": "Bar chart: {label}",
        "count_of": "{label}: {count}",
        "refused_title": "Your feedback could not be accepted",
        "too_large": "The form is too large.",
        "form_missing": "There is no such form.",
        "try_again": "Go back to the previous page and try again in a moment.",
        "results_updated": "Updated {date}.",
    },
}


def ui(lang: str) -> dict[str, str]:
    """The texts of one language; Finnish for anything else."""
    return UI[lang if lang in LANGUAGES else LANGUAGES[0]]
