"""OpenAPI for the box's own route (merged into /api/openapi.json)."""

from kiosk.platform.api import error_responses

PATHS = {
    "/api/box/device-clock": {
        "post": {
            "summary": "Signaler que l'appareil est là, avec l'heure de son horloge",
            "description": (
                "Envoyé par les pages d'une borne ou d'une tablette enrôlée (toutes les 5 minutes). "
                "La boîte note le dernier contact et l'écart entre les deux horloges ; un écart de plus "
                "de 2 minutes est montré sur la page d'état."
            ),
            "parameters": [
                {"name": "X-CSRFToken", "in": "header", "required": True, "schema": {"type": "string"}},
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["device_time"],
                    "properties": {"device_time": {
                        "type": "number", "description": "Date.now() de l'appareil (millisecondes depuis 1970)."}},
                }}},
            },
            "responses": {
                "200": {"description": "Noté", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"clock_gap_seconds": {"type": "integer"}}}}}},
                **error_responses(400, 401, 403),
            },
        }
    },
}
