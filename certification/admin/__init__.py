"""未来創造課's desk: review applications, certify under the cap, manage certificates, report links, annual reports
and holders' profile updates. Every status change goes through certification.services (the workflow tables),
the same functions the tests and the daily run use."""

from certification.admin import applications, certificates, reports  # noqa: F401 (registers the ModelAdmins)
