"""Pre-treatment risk scores: HCT-CI, EBMT score, refined DRI, MASCC."""
