-- Feedback answers' `email` in one spelling: NFC, case-folded (alusta.emails.email_key).
-- Before this, the column kept `lower()` of what was typed, so an address typed in NFD
-- (`a` + U+0308 for ä, as macOS keyboards send) was not found by `feedback delete --email`
-- given in NFC. `alusta_email_key` is the Python function alusta.db.connect defines.
UPDATE feedback_submissions SET email = alusta_email_key(email) WHERE email IS NOT NULL;
