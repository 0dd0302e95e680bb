"""OpenAPI for the check-in route (merged into /api/openapi.json)."""

from kiosk.platform.api import error_responses

SCHEMAS = {
    "CheckInRequest": {
        "type": "object",
        "required": ["code"],
        "properties": {
            "code": {
                "type": "string",
                "maxLength": 256,
                "description": "Le texte du QR code de la carte (espaces autour et casse ignorés).",
            },
            "scanned_at": {
                "type": "string",
                "format": "date-time",
                "nullable": True,
                "description": (
                    "Facultatif : l'heure du passage de la carte, ISO-8601 avec fuseau, envoyée par une "
                    "borne qui était hors ligne. Elle devient checked_in_at et décide du jour compté "
                    "(jour du fuseau KIOSK_TIMEZONE). Pas dans le futur (5 minutes de tolérance "
                    "d'horloge), pas plus de 7 jours en arrière ; sinon 400. Absente : maintenant."
                ),
            },
        },
    },
    "CheckIn": {
        "type": "object",
        "required": ["status", "first_name", "checked_in_at"],
        "properties": {
            "status": {"type": "string", "enum": ["checked_in", "already"]},
            "first_name": {"type": "string", "description": "Le prénom seul, pour l'accueillir."},
            "checked_in_at": {
                "type": "string",
                "format": "date-time",
                "description": "L'heure d'arrivée (UTC) ; pour « already », celle du premier passage du jour.",
            },
            "activity": {
                "type": "string",
                "nullable": True,
                "description": "L'activité du jour (ex. « Atelier cuisine »), si elle est prévue.",
            },
        },
    },
}

PATHS = {
    "/api/checkins": {
        "post": {
            "summary": "Enregistrer l'arrivée du porteur d'une carte (un passage par jour)",
            "description": (
                "Ouvert à une borne (appareil kiosk), à la coordination et aux bénévoles. Le jour de "
                "l'atelier est créé au premier passage s'il n'était pas prévu. Un code refusé est noté "
                "(sans le code) dans les passages refusés."
            ),
            "parameters": [
                {"name": "X-CSRFToken", "in": "header", "required": True, "schema": {"type": "string"},
                 "description": "La valeur de <meta name=\"csrf-token\"> de la page."},
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckInRequest"}}},
            },
            "responses": {
                "201": {
                    "description": "Arrivée enregistrée (premier passage du jour)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckIn"}}},
                },
                "200": {
                    "description": "Déjà enregistré ce jour-là : rien de nouveau n'est stocké",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckIn"}}},
                },
                **error_responses(400, 401, 403),
                "404": error_responses(404)["404"] | {"description": "Code inconnu"},
                "410": error_responses(410)["410"] | {"description": "Carte remplacée ou révoquée"},
            },
        }
    },
}
