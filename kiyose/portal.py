"""The portal's few project-wide facts, each in one place: its apps, the staff roles and which apps each role
runs, and the office that answers for each area. Imports nothing from Django so settings.py can read it."""


class Role:
    """Staff roles: one Django group per section (kiyose.roles keeps their permissions in step)."""

    COUNCIL = "議会事務局"
    MIRAI = "未来創造課"
    KYODO = "市民協働課"


# The feature apps and the one they all build on, in dependency order (sdgs imports none of the others).
APPS = ("sdgs", "inspections", "certification", "talentbank")

# Which apps' models each role holds the permissions of.
ROLE_APPS = {
    Role.COUNCIL: ("inspections",),
    Role.MIRAI: ("sdgs", "certification"),
    Role.KYODO: ("talentbank",),
}


# The office that answers for each area's pages (its contact block, its contact form's enquiries); the
# footer carries the city hall's general block.
OFFICE_OF_APP = {"inspections": "council", "sdgs": "mirai", "certification": "mirai", "talentbank": "kyodo"}
FOOTER_OFFICE = "cityhall"


# Permissions every role holds beyond its apps' (app label, codename): each section edits its own contact block
# and reads the access log of its own records (kiyose.accesslog narrows the rows to its office's).
SHARED_PERMISSIONS = (("kiyose", "view_office"), ("kiyose", "change_office"), ("kiyose", "view_accesslog"))


def role_of_app(app_label: str) -> str:
    """The role that owns an app (its office answers for the app's pages and sees its records)."""
    for role, labels in ROLE_APPS.items():
        if app_label in labels:
            return role
    raise KeyError(app_label)
