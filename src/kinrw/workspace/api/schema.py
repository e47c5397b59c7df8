"""Touches to the generated OpenAPI schema (drf-spectacular post-processing hooks)."""

from __future__ import annotations

from typing import Any

# drf-spectacular's own texts that it has no German translation for
GERMAN = {"No response body": "Erledigt; die Antwort hat keinen Inhalt."}


def german_texts(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                text = response.get("description")
                response["description"] = GERMAN.get(text, text)
    return result
