import pytest


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Uploads go to a folder of the test's own: the field's storage is resolved once, at start-up, from the
    "private" alias (as in production), so the test points that instance elsewhere."""
    from django.core.files.storage import FileSystemStorage

    from inspections.models import DocumentUpload

    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(DocumentUpload._meta.get_field("file"), "storage", storage)
    return storage
