"""Tips from the public (issue 23): intake, clustering, the desk's moves, tipster e-mails, the dashboard.

`clustering.py` is the package's only door to matching; `services.py` owns every write; `selectors.py`
the reads the inbox, the API and the status page share; `notifications.py` reads the change feed;
`tasks.py` holds the worker's entry points.
"""
