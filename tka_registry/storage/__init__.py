"""Files kept in the database: content-addressed blobs and pending uploads (issue 16)."""
