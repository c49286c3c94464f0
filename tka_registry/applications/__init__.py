"""Applications employers file for their foreign workers, and the officers' decisions on them.

Kinds: a new ITAS (E23 work indexes), an extension, a change report (address, position, civil
status, passport renewal) and a departure report. Status: draft -> submitted -> (returned ->
submitted) -> approved | rejected.

For other areas: :func:`tka_registry.applications.queries.departures` answers the day each
worker left Indonesia (approved departure reports), and the ``application`` table holds it as
``departed_on`` on rows with ``kind = 'departure_report' AND status = 'approved'``.
"""
