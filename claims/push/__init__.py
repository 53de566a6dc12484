"""Push: change-feed events delivered to partners' webhooks, signed per Standard Webhooks.

`services` holds the desk's writes (subscribe, rotate, replay, re-enable), `delivery` the
worker's side (take the subscription's cursor, send, advance or back off), `tasks` the
django-tasks entry points the worker runs.
"""
