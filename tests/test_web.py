"""The web app factory (the pages come with the web UI issue)."""

from web import create_app


def test_app_factory_serves_a_health_check():
    client = create_app({"TESTING": True}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
