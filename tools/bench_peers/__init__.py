"""bench-peers: Dixit and its peers on one corpus (see tools/README.md)."""
