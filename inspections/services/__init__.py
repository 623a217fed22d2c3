"""Writes with side effects, and the availability rule they and the pages share; views, the admin and the
daily job import what they need from the modules themselves:

- requests: filing a request, the workflow table (REQUEST_FLOW) and its one service, letters, reminders;
- uploads: documents a visiting council sends through its status page;
- availability: the rule that says which days are open (the forms read it too, so nothing here imports
  the modules eagerly).
"""
