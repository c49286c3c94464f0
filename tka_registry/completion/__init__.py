"""Records to complete ("Data belum lengkap"): the gaps the office's own sheets left, listed for
officers by kind of gap and by employer, each with the form that fills it in (issue 18)."""
