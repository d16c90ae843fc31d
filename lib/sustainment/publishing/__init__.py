"""Publishing into reports/: what outputs were made from (`fingerprint`), the lock, staging and
manifest (`publish`), the index, sources and claims pages (`site`) and the decks (`pack`)."""
