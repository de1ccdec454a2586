"""The parts of the hub's OpenAPI document FastAPI cannot derive: the ingest body, which the route reads
itself (to cap and parse it within limits), declared as JSON (the wire contract's batch, or Kuaidi100's
push) and as Kuaidi100's form (the field ``param``)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic.json_schema import models_json_schema

from orderdesk.hub.ingest import IngestBody
from orderdesk.hub.kuaidi100 import Kuaidi100Push

REF = "#/components/schemas/{model}"


def _ingest_body(schemas: dict[str, Any]) -> dict[str, Any]:
    _, definitions = models_json_schema([(IngestBody, "validation"), (Kuaidi100Push, "validation")], ref_template=REF)
    schemas.update(definitions["$defs"])
    return {
        "required": True,
        "description": "records in the wire contract; for kuaidi100 also its own push, as JSON or as the form "
        "field `param`. Limits: 8 MiB, 200,000 JSON objects and arrays, nesting 32 deep, 10,000 records.",
        "content": {
            "application/json": {
                "schema": {"anyOf": [{"$ref": REF.format(model=name)} for name in ("IngestBody", "Kuaidi100Push")]}
            },
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"param": {"type": "string", "description": "Kuaidi100's push as a JSON string"}},
                    "required": ["param"],
                }
            },
        },
    }


def install(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            components = document.setdefault("components", {})
            schemas = components.setdefault("schemas", {})
            components.setdefault("requestBodies", {})["IngestBody"] = _ingest_body(schemas)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend its OpenAPI document
