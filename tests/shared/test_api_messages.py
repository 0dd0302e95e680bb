"""The JSON API's own refusals speak the screen's language, like the pages."""

from kiosk.models import Role


def post_not_json(client):
    return client.post("/api/baskets", data="pas du JSON", content_type="application/json",
                       headers={"Idempotency-Key": "k-1"})


def test_body_not_json_in_french(client, auth):
    """Is a body that is not a JSON object a 400 with a plain French message?"""
    auth.login(Role.COORDINATOR)
    response = post_not_json(client)
    assert response.status_code == 400
    assert response.get_json() == {"error": "Le corps de la requête doit être un objet JSON."}


def test_body_not_json_in_english(client, auth):
    """With the screen in English, is the same refusal in English?"""
    auth.login(Role.COORDINATOR)
    client.post("/langue/en", data={"next": "/"})
    response = post_not_json(client)
    assert response.status_code == 400
    assert response.get_json() == {"error": "The request body must be a JSON object."}
