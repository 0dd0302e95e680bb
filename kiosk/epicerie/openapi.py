"""OpenAPI for the épicerie's routes: categories, households, baskets (merged into /api/openapi.json)."""

from kiosk.platform.api import error_responses

MONEY = {"type": "string", "pattern": r"^[0-9]{1,4}(\.[0-9]{1,2})?$", "example": "12.50",
         "description": "Euros as a decimal string (a dot, at most two decimals, 0 to 9999.99). "
                        "A JSON number is refused: money never travels as a float."}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
SERVING = "Allowed: an enrolled tablet, a volunteer, a coordinator (a kiosk or a referent: 403)."


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS = {
    "Category": {
        "type": "object", "required": ["code", "label"],
        "properties": {"code": {"type": "string"}, "label": {"type": "string"}},
    },
    "BasketLineIn": {
        "type": "object", "additionalProperties": False,
        "required": ["category", "quantity", "weight_kg", "value_eur"],
        "properties": {
            "category": {"type": "string", "description": "The code of an active category (GET /api/categories)."},
            "quantity": {"type": "integer", "minimum": 1, "maximum": 999, "description": "A boolean is not an integer."},
            "weight_kg": {"type": "number", "minimum": 0, "maximum": 999,
                          "description": "The whole line's weight; stored rounded to the gram."},
            "value_eur": {**MONEY, "description": "The whole line's value. " + MONEY["description"]},
            "product": {"type": "integer", "nullable": True,
                        "description": "Optional: the price list's product (active, of the line's category)."},
        },
    },
    "BasketIn": {
        "type": "object", "additionalProperties": False, "required": ["lines", "paid_eur"],
        "description": "Exactly one of `code` (the card's QR text) or `participant_id`. Unknown keys are refused. "
                       "`paid_eur` may not exceed the sum of the lines' values, nor, for Banque Alimentaire "
                       "products, the cap the centre set. Beyond a rule the centre set as a limit (monthly "
                       "allowance, visits): 422 `{\"errors\": {\"participant\": str}}` with the header "
                       "`X-Epicerie-Limit` naming the rules passed (`allowance`, `visits_week`, `visits_month`; "
                       "absent for a refusal no reason can pass, such as no open access), unless a coordinator "
                       "logged in or on duty on the tablet (never the one `X-Served-By` names) "
                       "sends `override_reason` (kept on the basket, audited). Its share is rounded half up "
                       "on other products and down on Banque Alimentaire ones.",
        "properties": {
            "code": {"type": "string", "maxLength": 256},
            "participant_id": {"type": "integer", "minimum": 1},
            "lines": {"type": "array", "minItems": 1, "maxItems": 100, "items": _ref("BasketLineIn")},
            "paid_eur": MONEY,
            "override_reason": {"type": "string", "minLength": 1, "maxLength": 300,
                                "description": "A coordinator's reason to let the basket through a limit."},
        },
    },
    "BasketCorrection": {
        "type": "object", "additionalProperties": False, "required": ["lines"],
        "description": "Without `paid_eur`, the share is computed from the centre's rate (and the Banque "
                       "Alimentaire cap, that part rounded down) and checked like a typed one. The monthly "
                       "allowance holds as for a new basket, but a correction that does not raise the "
                       "basket's value is not refused for it. Lines may keep the products the basket "
                       "already has, even if taken off the price list since.",
        "properties": {"lines": {"type": "array", "minItems": 1, "maxItems": 100, "items": _ref("BasketLineIn")},
                       "paid_eur": MONEY,
                       "override_reason": {"type": "string", "minLength": 1, "maxLength": 300}},
    },
    "Basket": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "participant_id": {"type": "integer"},
            "household": {"type": "string", "description": "First name and initial."},
            "time": {"type": "string", "example": "14:05"}, "served_on": {"type": "string", "format": "date"},
            "value_eur": MONEY, "paid_eur": MONEY, "weight_kg": {"type": "number"},
            "cancelled": {"type": "boolean"}, "served_by": {"type": "string", "nullable": True},
            "lines": {"type": "array", "items": {"type": "object"}},
        },
    },
    "HouseholdMatch": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "first_name": {"type": "string"}, "last_name": {"type": "string"},
                       "household_size": {"type": "integer"}, "access_open": {"type": "boolean"}},
    },
    "Household": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "first_name": {"type": "string"}, "last_name": {"type": "string"},
            "household_size": {"type": "integer"},
            "access": {"type": "object", "properties": {
                "open": {"type": "boolean"}, "until": {"type": "string", "format": "date", "nullable": True},
                "until_label": {"type": "string", "nullable": True}}},
            "allowance_eur": MONEY, "taken_month_eur": MONEY, "remaining_eur": MONEY,
            "last_visit": {"type": "string", "format": "date", "nullable": True},
            "last_visit_label": {"type": "string", "nullable": True},
            "visits_this_week": {"type": "integer"}, "visits_per_week": {"type": "integer"},
            "contribution_percent": {"type": "integer"}, "can_record": {"type": "boolean"},
            "warnings": {"type": "array", "items": {"type": "object", "properties": {
                "code": {"type": "string", "enum": ["no_access", "access_ends_soon", "allowance_reached",
                                                   "served_this_week"]},
                "level": {"type": "string", "enum": ["danger", "warning", "info"]},
                "message": {"type": "string"}}}},
        },
    },
}

PATHS = {
    "/api/categories": {
        "get": {
            "summary": "The basket line categories (active ones, in the coordinator's order)",
            "description": SERVING,
            "responses": {"200": _json({"type": "array", "items": _ref("Category")}), **error_responses(401, 403)},
        }
    },
    "/api/baskets": {
        "post": {
            "summary": "Record a basket, exactly once per Idempotency-Key",
            "description": SERVING + " The same key with the same body again: 200 with the same id, nothing "
                           "stored; with another body: 422 `idempotency_key`; while the first is still being "
                           "recorded: 409. A household without open épicerie access that day: 422 `participant`. "
                           "Line errors are named `lines[i].field`.",
            "parameters": [
                {"name": "Idempotency-Key", "in": "header", "required": True,
                 "schema": {"type": "string", "minLength": 1, "maxLength": 64},
                 "description": "A UUID made by the client when the basket was confirmed (1–64 printable ASCII)."},
                {"name": "X-Served-By", "in": "header", "required": False, "schema": {"type": "integer"},
                 "description": "On an enrolled tablet: the user id of the volunteer who confirmed the basket "
                                "(a basket kept while offline keeps its server). Believed only for someone who "
                                "gave their PIN on this tablet in this session; ignored for a logged-in user."},
            ],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("BasketIn")}}},
            "responses": {
                "201": _json({"type": "object", "properties": {"id": {"type": "integer"}}}, "Recorded"),
                "200": _json({"type": "object", "properties": {"id": {"type": "integer"}}}, "Already recorded"),
                **error_responses(400, 401, 403, 409, 422),
            },
        },
        "get": {
            "summary": "Today's baskets, latest first (cancelled ones marked)",
            "description": SERVING,
            "responses": {"200": _json({"type": "array", "items": _ref("Basket")}), **error_responses(401, 403)},
        },
    },
    "/api/baskets/{id}": {
        "put": {
            "summary": "Correct one of today's baskets (its lines and the share paid)",
            "description": SERVING + " The audit trail keeps the amounts and quantities as they were.",
            "parameters": [ID],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("BasketCorrection")}}},
            "responses": {"200": _json(_ref("Basket")), **error_responses(400, 401, 403, 404, 422)},
        }
    },
    "/api/baskets/{id}/cancel": {
        "post": {
            "summary": "Cancel one of today's baskets (again: 200, nothing more)",
            "description": SERVING,
            "parameters": [ID],
            "responses": {"200": _json(_ref("Basket")), **error_responses(401, 403, 404, 422)},
        }
    },
    "/api/households": {
        "get": {
            "summary": "Households whose name matches (any case, with or without accents)",
            "description": SERVING,
            "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 100}}],
            "responses": {"200": _json({"type": "array", "items": _ref("HouseholdMatch")}),
                          **error_responses(400, 401, 403)},
        }
    },
    "/api/households/{id}": {
        "get": {
            "summary": "A household at a glance: access, allowance used this month, last visit, warnings",
            "description": SERVING,
            "parameters": [ID],
            "responses": {"200": _json(_ref("Household")), **error_responses(401, 403, 404)},
        }
    },
    "/api/households/lookup": {
        "post": {
            "summary": "A household at a glance from their card's code (a scan)",
            "description": SERVING + " The code travels in the body, never in the address.",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["code"], "properties": {"code": {"type": "string", "maxLength": 256}}}}}},
            "responses": {"200": _json(_ref("Household")), **error_responses(400, 401, 403, 404, 410)},
        }
    },
}
