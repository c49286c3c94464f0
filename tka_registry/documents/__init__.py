"""Permit documents: PDF rendering (``render``), QR codes (``qr``) and signed verification tokens
(``signing``).

Import the submodule you need: ``signing`` stays light, ``render`` loads WeasyPrint.
"""
