"""OpenAPI for the routes of the front door."""

PATHS = {
    "/api/openapi.json": {
        "get": {
            "summary": "Cette description OpenAPI",
            "security": [],
            "responses": {"200": {"description": "La description", "content": {"application/json": {"schema": {"type": "object"}}}}},
        }
    },
}
