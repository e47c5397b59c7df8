"""A bench-only tenant app: 26 models of a KI workspace (``kinrw bench``, bench/README.md).

The issue measured its baseline "with 26 tenant models". The platform itself
has far fewer tenant tables yet, so the benchmark also creates and migrates KIs
with this app installed as a tenant app, on both sides alike
(:mod:`kinrw.benchmarks.settings_ours_ws`, :mod:`kinrw.benchmarks.settings_dt_ws`).
It is a plausible sketch of the workspace the next issue builds, not that
workspace: production settings never install it.
"""

APP = "kinrw.benchmarks.workspace_model"


def install(tenant_apps: list[str], shared_apps: list[str]) -> tuple[list[str], list[str]]:
    """``(TENANT_APPS, INSTALLED_APPS)`` with this app added as a tenant app."""
    tenant = [*tenant_apps, APP]
    return tenant, shared_apps + [app for app in tenant if app not in shared_apps]
