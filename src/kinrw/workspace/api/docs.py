"""The interactive API reference (Swagger UI) from our own static files, no CDN.

drf-spectacular's split view serves the start script as a file of its own
(no inline script); our template adds the page language and drops the
inline styles.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
