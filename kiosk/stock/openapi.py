"""OpenAPI description of the stock's routes (gathered by kiosk/platform/api.py)."""

from kiosk.platform.api import error_responses

LINE = {
    "type": "object",
    "required": ["category", "weight_kg", "value_eur"],
    "additionalProperties": False,
    "properties": {
        "category": {"type": "string", "description": "code de GET /api/categories"},
        "weight_kg": {"type": "number", "minimum": 0, "maximum": 9999, "description": "poids de toute la ligne"},
        "value_eur": {"type": "string", "pattern": r"^[0-9]{1,5}(\.[0-9]{1,2})?$",
                      "description": "valeur de toute la ligne, 0 à 99999.99"},
    },
}
SCHEMAS = {
    "StockArrival": {
        "type": "object",
        "required": ["source", "lines"],
        "additionalProperties": False,
        "properties": {
            "source": {"type": "string", "enum": ["banque_alimentaire", "ramasse", "achat", "don", "autre"]},
            "lines": {"type": "array", "minItems": 1, "maxItems": 100, "items": LINE},
        },
    },
    "StockRow": {
        "type": "object",
        "required": ["category", "weight_kg", "value_eur"],
        "properties": {"category": {"type": "string"}, "weight_kg": {"type": "number"},
                       "value_eur": {"type": "string"}},
    },
}
PATHS = {
    "/api/stock/arrivals": {
        "post": {
            "summary": "Enregistrer un arrivage de denrées (une fois par Idempotency-Key)",
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": True,
                            "schema": {"type": "string", "maxLength": 64}}],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/StockArrival"}}}},
            "responses": {
                "201": {"description": "Arrivage enregistré", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"id": {"type": "integer"}}}}}},
                "200": {"description": "Même clé, même contenu : le même arrivage"},
                **error_responses(400, 401, 403, 409, 422),
            },
        }
    },
    "/api/stock": {
        "get": {
            "summary": "Le stock par catégorie : arrivages moins ce qui est sorti",
            "responses": {
                "200": {"description": "Une ligne par catégorie", "content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": "#/components/schemas/StockRow"}}}}},
                **error_responses(401, 403),
            },
        }
    },
}
