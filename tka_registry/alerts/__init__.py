"""Expiry alert emails: reminder stages, composed messages and the SMTP mailbox (issue 7)."""
