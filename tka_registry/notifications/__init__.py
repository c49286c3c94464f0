"""Email notifications through an outbox: written in the transaction of the change they tell
of (a decision, a submission), sent later by :mod:`.delivery` through the one mailer, retried
with back-off, each row sent once."""
