"""The reference central order API (FastAPI) and its demo traffic generator. Speaks sync's wire contract."""
