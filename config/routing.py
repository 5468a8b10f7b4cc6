"""WebSocket routes."""

from django.urls import path

from forum.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/live/", LiveConsumer.as_asgi()),
]
