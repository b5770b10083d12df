"""Telling people that something arrived: e-mail over SMTP and webhook POSTs.

`channels` delivers one message, `dispatch` works through the deliveries stored in SQLite
(alusta.outbox) and `mention_messages` writes what a maintainer reads about a new reply;
feedback answers bring their own texts (alusta.feedback.notify).
"""
