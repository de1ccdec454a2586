"""The wire contract, the local cache, canonical states and channel mapping. Never imports Qt."""
