"""The HTTP API: translates HTTP to the recommender library and back (FastAPI).

The application is :data:`api.app.app`; run it with ``partnership-recommender serve``.
"""
