"""Storage and crypto: the encrypted vault, its key header, schema and repositories."""
