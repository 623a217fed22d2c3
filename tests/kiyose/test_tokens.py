import pytest
from django.contrib.auth.models import Group
from django.http import Http404

from kiyose.tokens import token_hash, token_lookup, token_new


def test_only_the_hash_is_kept_and_it_is_stable():
    raw, digest = token_new()
    assert len(raw) >= 40 and raw not in digest
    assert token_hash(raw) == digest and len(digest) == 64
    assert token_hash(raw + "x") != digest


@pytest.mark.django_db
def test_lookup_finds_by_hash_and_404s_otherwise():
    raw, digest = token_new()
    group = Group.objects.create(name=digest)
    assert token_lookup(Group.objects.all(), raw, field="name") == group
    for wrong in ("", raw[:-1], digest):
        with pytest.raises(Http404):
            token_lookup(Group.objects.all(), wrong, field="name")


def test_a_secret_page_is_never_cached_indexed_or_sent_on_as_a_referrer():
    from django.http import HttpResponse

    from kiyose.tokens import secret_page_headers

    response = secret_page_headers(HttpResponse("x"))
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
