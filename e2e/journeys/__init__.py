"""The journeys `make e2e` walks through nginx in Debian's Chromium, as visitors and staff do.

Pages are found by what people see (headings, labels, button texts in Japanese); the few steps that the
apps are about to change (the staff login, the letter download, the form's confirm step) are small helpers
so a change there is one edit. Every journey checks the mail it causes in the SMTP sink, and every link in
that mail must lead to the portal and answer 200.

Staff sign in as production staff do: password, then the second factor. The first staff journey enrols an
authenticator app through the enrolment screens (the secret read off the screen, codes computed from it as the
app would); later staff journeys reuse that signed-in session (a staff member's open browser), and one signs in
afresh with password and code.

One module an area (inspections, certification, talentbank, staff, production); world holds the browser and
the World, helpers the shared steps. JOURNEYS is the order a run walks them in: later journeys use what
earlier ones left in World.state.
"""

from e2e.journeys.certification import certification
from e2e.journeys.inspections import inspection_request, staff_inspection
from e2e.journeys.production import cache_across_nodes, production_headers, scheduled_jobs
from e2e.journeys.staff import staff_enrolment, staff_sign_in_and_networks
from e2e.journeys.talentbank import spot_proposal, talentbank_registration
from e2e.journeys.world import CHROMIUM, World, chromium_args

__all__ = ["CHROMIUM", "JOURNEYS", "World", "chromium_args"]

JOURNEYS = [
    ("inspection request", inspection_request),
    ("staff: first sign-in, authenticator app enrolled", staff_enrolment),
    ("certification + annual report", certification),
    ("talent-bank registration", talentbank_registration),
    ("spot proposal", spot_proposal),
    ("staff: accept a request, letter PDF", staff_inspection),
    ("page cache across the two nodes", cache_across_nodes),
    ("staff: sign-in with password + code, admin networks", staff_sign_in_and_networks),
    ("production headers", production_headers),
    ("scheduled jobs (timers' commands)", scheduled_jobs),
]
