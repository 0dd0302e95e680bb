"""OpenAPI for the dashboard's JSON route: one day's figures (CONTRACT.md)."""

from kiosk.platform.api import error_responses

SCHEMAS = {
    "DaySummary": {
        "type": "object",
        "required": ["date", "checkins", "baskets", "weight_kg", "value_eur", "paid_eur"],
        "properties": {
            "date": {"type": "string", "format": "date", "example": "2026-03-12"},
            "checkins": {"type": "integer", "minimum": 0, "description": "Personnes distinctes venues ce jour-là"},
            "baskets": {"type": "integer", "minimum": 0, "description": "Paniers servis (hors paniers annulés)"},
            "weight_kg": {"type": "number", "minimum": 0, "example": 123.45},
            "value_eur": {"type": "string", "pattern": r"^\d+\.\d{2}$", "example": "412.30"},
            "paid_eur": {"type": "string", "pattern": r"^\d+\.\d{2}$", "example": "41.23"},
        },
    },
}

PATHS = {
    "/api/days/{date}": {
        "get": {
            "summary": "Les chiffres d'une journée (jour calendaire du centre)",
            "description": "Réservé à la coordination. Les paniers annulés ne comptent pas.",
            "security": [{"session": []}],
            "parameters": [{
                "name": "date", "in": "path", "required": True,
                "schema": {"type": "string", "format": "date"}, "description": "AAAA-MM-JJ",
            }],
            "responses": {
                "200": {"description": "Les chiffres du jour",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DaySummary"}}}},
                **error_responses(400, 401, 403),
            },
        }
    },
}
