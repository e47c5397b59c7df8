"""The container image without a Docker engine: Dockerfile, build context, compose file.

No engine runs on the development machines, so these check what can be checked: every
file the Dockerfile copies exists and is in the build context, the image's build steps
work without a database, and the compose file starts the roles the entrypoint knows.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from kinrw.core.i18n import compile_catalogs
from tests.deploy.envvars import ENTRYPOINT, ROOT, unread

DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
BIN = Path(sys.executable).parent


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text("utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def stages() -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions():
        if keyword == "FROM":
            result.append([])
        if result:
            result[-1].append((keyword, rest))
    return result


def args_default(name: str) -> str:
    for keyword, rest in instructions():
        if keyword == "ARG" and rest.startswith(f"{name}="):
            return rest.split("=", 1)[1]
    raise AssertionError(f"ARG {name} fehlt")


def copies_from_context() -> list[str]:
    """Sources of every COPY that reads the build context (not another stage)."""
    sources = []
    for keyword, rest in instructions():
        if keyword == "COPY":
            words = [w for w in shlex.split(rest) if not w.startswith("--")]
            if "--from=" not in rest:
                sources += words[:-1]
    return sources


def entrypoint_roles() -> set[str]:
    case = ENTRYPOINT.read_text("utf-8").split('case "$role" in', 1)[1]
    labels = re.findall(r"^([a-z][a-z| -]*)\)$", case, re.M)
    return {part.strip() for label in labels for part in label.split("|")} - {"-h", "--help"}


def test_every_file_the_image_copies_exists_and_is_in_the_build_context() -> None:
    sources = copies_from_context()
    assert {"pyproject.toml", "README.md", "src", "tenants", "deploy/entrypoint.sh"} <= set(sources)
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text("utf-8").splitlines()
    assert ignore[ignore.index("**")] == "**", "the context starts empty and lists what it needs"
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: nicht im Repository"
        assert source.rstrip("/") in allowed, f"COPY {source}: von .dockerignore ausgeschlossen"


def test_the_image_is_multi_stage_and_runs_as_a_non_root_user() -> None:
    build, runtime = stages()
    assert args_default("PYTHON_IMAGE").startswith("python:3.11-slim")
    assert build[0] == ("FROM", "${PYTHON_IMAGE} AS build")
    assert any(k == "RUN" and "pip wheel" in r for k, r in build)
    assert runtime[0] == ("FROM", "${PYTHON_IMAGE} AS runtime")
    run = " ".join(r for k, r in runtime if k == "RUN")
    assert "--find-links /wheels" in run and "from=build" in run
    users = [r for k, r in runtime if k == "USER"]
    assert users == ["${APP_UID}:${APP_UID}"] and int(args_default("APP_UID")) >= 1000
    entrypoint = [r for k, r in runtime if k == "ENTRYPOINT"]
    assert entrypoint == ['["/usr/local/bin/kinrw-entrypoint"]']
    assert "--chmod=0755 deploy/entrypoint.sh /usr/local/bin/kinrw-entrypoint" in run + " ".join(
        r for k, r in runtime if k == "COPY"
    )


def test_the_image_brings_pg_dump_of_the_production_server() -> None:
    # ADR 0002: pg_dump at least the server's major version; production runs 17 or newer
    assert int(args_default("PG_CLIENT_MAJOR")) >= 17
    run = " ".join(r for k, r in instructions() if k == "RUN")
    assert "apt.postgresql.org" in run and '"postgresql-client-${PG_CLIENT_MAJOR}"' in run
    env = " ".join(r for k, r in instructions() if k == "ENV")
    assert "KINRW_PG_DUMP=/usr/lib/postgresql/${PG_CLIENT_MAJOR}/bin/pg_dump" in env


def test_the_image_compiles_translations_and_collects_static_files_at_build_time() -> None:
    run = " ".join(r for k, r in stages()[1] if k == "RUN")
    assert "kinrw compilemessages" in run
    assert "kinrw django collectstatic --noinput" in run


def test_the_image_only_sets_variables_the_platform_reads() -> None:
    env = " ".join(r for k, r in instructions() if k == "ENV")
    names = set(re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]+)=", env))
    assert {"KINRW_STATIC_ROOT", "KINRW_REGISTRY_PATH", "KINRW_DATA_DIR"} <= names
    tools_own = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}
    tools_own |= {"PIP_DISABLE_PIP_VERSION_CHECK", "PIP_NO_CACHE_DIR"}
    assert unread(names - tools_own) == set()


def test_collectstatic_of_the_build_needs_no_database(tmp_path: Path) -> None:
    # the exact placeholder settings of the Dockerfile; port 1 refuses every connection
    run = " ".join(r for k, r in instructions() if k == "RUN")
    placeholders = dict(re.findall(r"(DATABASE_URL|DJANGO_SECRET_KEY)=(\S+)", run))
    assert set(placeholders) == {"DATABASE_URL", "DJANGO_SECRET_KEY"}
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_DEBUG")},
        **placeholders,
        "KINRW_STATIC_ROOT": str(tmp_path / "static"),
        "KINRW_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [BIN / "kinrw", "django", "collectstatic", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    manifest = tmp_path / "static" / "staticfiles.json"
    assert manifest.exists() and '"kinrw/' in manifest.read_text()
    assert not (tmp_path / "data").exists(), "no embedded database, no data dir at build time"


def test_the_catalogue_compiles_without_gettext(tmp_path: Path) -> None:
    source = ROOT / "src" / "kinrw" / "locale"
    for po in source.glob("*/LC_MESSAGES/*.po"):
        target = tmp_path / po.relative_to(source)
        target.parent.mkdir(parents=True)
        target.write_bytes(po.read_bytes())
    written = compile_catalogs(tmp_path)
    assert written and all(path.suffix == ".mo" and path.stat().st_size for path in written)


# --- the entrypoint outside a container -------------------------------------------------


def entrypoint(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(
        ["bash", str(ENTRYPOINT), *args],
        env={**os.environ, "PATH": path, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_entrypoint_is_valid_bash_and_explains_every_role() -> None:
    assert subprocess.run(["bash", "-n", str(ENTRYPOINT)]).returncode == 0
    assert os.access(ENTRYPOINT, os.X_OK)
    done = entrypoint("help")
    assert done.returncode == 0
    roles = entrypoint_roles()
    assert {"web", "worker", "beat", "migrate", "apply", "release", "worker-alive"} <= roles
    described = set(re.findall(r"^  ([a-z-]+)\s", done.stdout, re.M))
    assert described == roles
    assert entrypoint().stdout == done.stdout  # no argument: the help


def test_the_entrypoint_roles_reach_the_kinrw_commands() -> None:
    migrate = entrypoint("migrate", "--help")
    assert migrate.returncode == 0 and "--parallel" in migrate.stdout
    apply = entrypoint("apply", "--help")
    assert apply.returncode == 0 and "--dry-run" in apply.stdout
    assert "Datenbank an das Register" in apply.stdout  # `kinrw tenants apply`
    version = entrypoint("kinrw", "--version")
    assert version.returncode == 0 and version.stdout.startswith("kinrw")
    other = entrypoint("echo", "beliebig")
    assert other.returncode == 0 and other.stdout == "beliebig\n"


def test_the_worker_probe_of_the_entrypoint_fails_without_a_heartbeat(tmp_path: Path) -> None:
    done = entrypoint("worker-alive", env={"TMPDIR": str(tmp_path)})
    assert done.returncode == 1
    assert f"kein Herzschlag in {tmp_path}/kinrw-worker-heartbeat" in done.stderr


# --- compose -----------------------------------------------------------------------------


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))


def test_compose_starts_the_whole_platform() -> None:
    services = compose()["services"]
    assert set(services) == {
        *("postgres", "redis", "seaweedfs", "bucket"),
        *("release", "web", "worker", "beat"),
    }
    assert int(services["postgres"]["image"].split(":")[1]) >= 17  # ADR 0002
    assert services["redis"]["image"] == "redis:7"
    assert "-s3" in services["seaweedfs"]["command"]
    ours = {name: s for name, s in services.items() if s.get("build")}
    assert set(ours) == {"release", "web", "worker", "beat"}
    for name, service in ours.items():
        context = (DEPLOY / service["build"]["context"]).resolve()
        assert context == ROOT and context / service["build"]["dockerfile"] == DOCKERFILE
        assert service["command"][0] in entrypoint_roles(), name
        assert service["read_only"] is True and "/var/lib/kinrw" in service["tmpfs"]
    assert services["release"]["command"] == ["release"] and services["release"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["release"] == {
            "condition": "service_completed_successfully"
        }
    assert services["worker"]["healthcheck"]["test"] == ["CMD", "kinrw-entrypoint", "worker-alive"]
    for name, service in services.items():
        for needed in service.get("depends_on", {}):
            assert needed in services, f"{name} hängt an unbekanntem Dienst {needed}"


def test_compose_sets_only_variables_the_platform_reads() -> None:
    environment = compose()["services"]["web"]["environment"]
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "CELERY_BROKER_URL"} <= set(environment)
    assert environment["AWS_S3_ENDPOINT_URL"] == "http://seaweedfs:8333"
    assert unread(set(environment)) == set()


def test_the_chart_and_compose_run_as_the_images_user_and_dirs() -> None:
    values = yaml.safe_load((ROOT / "helm" / "kinrw" / "values.yaml").read_text("utf-8"))
    uid = int(args_default("APP_UID"))
    assert values["podSecurityContext"]["runAsUser"] == uid
    assert values["podSecurityContext"]["runAsGroup"] == uid
    env = " ".join(r for k, r in instructions() if k == "ENV")
    assert "KINRW_DATA_DIR=/var/lib/kinrw" in env  # the writable emptyDir / tmpfs
    assert "/var/lib/kinrw" in compose()["services"]["web"]["tmpfs"]
