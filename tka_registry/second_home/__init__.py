"""Second Home Visa (Visa Rumah Kedua, index E33) cases: a principal, dependants, no employer."""
