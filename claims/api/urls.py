"""REST API v1. (Filled in by the API work.)"""

app_name = "api"

urlpatterns: list = []
