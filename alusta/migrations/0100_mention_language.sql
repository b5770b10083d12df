-- The language a reply says it is written in (its page's `lang`, or the h-entry's), as a
-- canonical tag (alusta.i18n.tags) or "": the theme marks a reply in another language than
-- its post with `lang`, so screen readers speak it right (WCAG 2.1 3.1.2).
ALTER TABLE mentions ADD COLUMN lang TEXT NOT NULL DEFAULT '';
