"""A version's uploaded file, to whoever may read the version: anyone for a public
version, the system's officers for a draft or an unpublished one (``core.api.access``).
Uploaded files are never served straight from MEDIA_ROOT, where drafts would be open to
anyone who guessed the address."""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404

from core.api.access import access_of
from documents.models import DocumentVersion
from documents.selectors import visible_versions


def version_file(request, pk: int):
    version = (
        DocumentVersion.objects.filter(visible_versions(access_of(request)), pk=pk)
        .exclude(file="")
        .first()
    )
    if version is None:
        # The same answer for a version that does not exist and one the reader may not see.
        raise Http404("No such file.")
    response = FileResponse(version.file.open("rb"), filename=PurePosixPath(version.file.name).name)
    if not version.public:
        response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex" if not version.public else "all"
    return response
