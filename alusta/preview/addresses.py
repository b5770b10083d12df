"""Each content object's address worked out once instead of on every look-up.

Pelican formats `url` and `save_as` from the settings and the object's metadata each time
they are read: about 45 µs, and a run at 5,000 posts reads them 70,000 times (listings,
feeds, neighbours, plugins), over two seconds. Both are fixed when the object is made (its
own settings, metadata and language), and the preview keeps objects between runs, so the
first answer is kept on the object. Only while a run renders: nothing is kept for good
in Pelican's class.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pelican.contents import Content

MEMO_ATTRIBUTE = "_alusta_addresses"


@contextmanager
def addresses_kept() -> Iterator[None]:
    """While inside, `get_url_setting` answers each object and key from the object's memo."""
    computed = Content.get_url_setting

    def kept(self: Content, key: str) -> str:
        answers = self.__dict__.setdefault(MEMO_ATTRIBUTE, {})
        if key not in answers:
            answers[key] = computed(self, key)
        return answers[key]

    Content.get_url_setting = kept
    try:
        yield
    finally:
        Content.get_url_setting = computed
