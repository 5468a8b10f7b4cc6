"""WebSocket routes. Live thread updates (issue 4) register their consumers here."""

websocket_urlpatterns: list = []
