"""Permit documents: PDF rendering (``render``, ``batch``), QR codes (``qr``), signed
verification tokens (``signing``), stored documents (``tables``, ``service``), public
verification (``verification``), and their HTTP (``api``, ``web``) and CLI (``commands``).

Import the submodule you need: ``signing`` stays light, ``render`` loads WeasyPrint.
"""
