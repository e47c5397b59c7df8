"""The Helm chart, rendered and linted without a helm binary (helm-python-sdk), every
manifest validated offline against the Kubernetes 1.30 schemas (kubernetes-validate)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

from tests.deploy.envvars import ROOT, unread

CHART = ROOT / "helm" / "kinrw"
CI = CHART / "ci"
KUBERNETES = "1.30.0"
VALUES_FILES = sorted(p.name for p in CI.glob("*-values.yaml"))
Manifest = dict[str, Any]


@pytest.fixture(scope="module")
def chart() -> Iterator[helm.Chart]:
    with helm.Chart.load(CHART) as loaded:
        yield loaded


def values_of(name: str) -> dict[str, Any]:
    return yaml.safe_load((CI / name).read_text("utf-8"))


def render(chart: helm.Chart, values: dict[str, Any]) -> list[Manifest]:
    rendered = chart.render(values, name="kinrw", namespace="kinrw", is_install=True)
    manifests = []
    for path, text in sorted(rendered.items()):
        if path.endswith(".yaml"):
            manifests += [doc for doc in yaml.safe_load_all(text) if doc]
    return manifests


def only(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    [found] = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    return found


def pod_specs(manifests: list[Manifest]) -> Iterator[tuple[str, Manifest]]:
    for m in manifests:
        if m["kind"] in ("Deployment", "Job"):
            yield m["metadata"]["name"], m["spec"]["template"]["spec"]


def hooks(manifest: Manifest) -> set[str]:
    return set(manifest["metadata"].get("annotations", {}).get("helm.sh/hook", "").split(","))


def env_names(spec: Manifest) -> set[str]:
    return {e["name"] for c in spec["containers"] for e in c.get("env", [])}


@pytest.fixture(scope="module", params=VALUES_FILES)
def case(request: pytest.FixtureRequest, chart: helm.Chart) -> tuple[str, list[Manifest]]:
    return request.param, render(chart, values_of(request.param))


def test_there_are_several_values_files() -> None:
    assert {"minimal-values.yaml", "existing-secret-values.yaml", "full-values.yaml"} <= set(
        VALUES_FILES
    )


@pytest.mark.parametrize("name", VALUES_FILES)
def test_the_chart_lints_clean(name: str) -> None:
    report = helm.lint(CHART, values_of(name), strict=True, kube_version=f"v{KUBERNETES}")
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_every_manifest_is_valid_kubernetes(case: tuple[str, list[Manifest]]) -> None:
    _, manifests = case
    assert {"Deployment", "Service", "ConfigMap", "Job", "Ingress"} <= {
        m["kind"] for m in manifests
    }
    for manifest in manifests:
        # strict: unknown fields (a typo in a template) fail too
        kubernetes_validate.validate(manifest, KUBERNETES, strict=True)


def test_a_broken_manifest_fails_the_validation(chart: helm.Chart) -> None:
    manifests = render(chart, values_of("minimal-values.yaml"))
    beat = only(manifests, "Deployment", "kinrw-beat")
    beat["spec"]["template"]["spec"]["containers"][0]["livenessProb"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(beat, KUBERNETES, strict=True)


def test_exactly_one_beat_replaced_not_rolled(case: tuple[str, list[Manifest]]) -> None:
    _, manifests = case
    beat = only(manifests, "Deployment", "kinrw-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert beat["spec"]["template"]["spec"]["containers"][0]["args"] == ["beat"]
    assert not [m for m in manifests if m["kind"] == "HorizontalPodAutoscaler" and "beat" in str(m)]


def test_migration_is_a_pre_install_and_pre_upgrade_hook(case: tuple[str, list[Manifest]]) -> None:
    _, manifests = case
    job = only(manifests, "Job", "kinrw-migrate")
    assert hooks(job) == {"pre-install", "pre-upgrade"}
    spec = job["spec"]["template"]["spec"]
    [container] = spec["containers"]
    assert container["args"][0] == "migrate" and spec["restartPolicy"] == "Never"
    # before an install neither the ConfigMap nor the chart's Secret exists: settings inline,
    # and the secret it reads is the existing one or a hook created before the Job
    assert "configMapRef" not in str(container) and "KINRW_BASE_DOMAIN" in env_names(spec)
    [ref] = [e["secretRef"]["name"] for e in container["envFrom"]]
    secrets = [m for m in manifests if m["kind"] == "Secret" and m["metadata"]["name"] == ref]
    if secrets:
        [secret] = secrets
        assert hooks(secret) == {"pre-install", "pre-upgrade"}
        weight = int(secret["metadata"]["annotations"]["helm.sh/hook-weight"])
        assert weight < int(job["metadata"]["annotations"]["helm.sh/hook-weight"])
    else:
        assert ref == values_of(case[0])["existingSecret"]


def test_onboarding_runs_tenants_apply_after_install_and_upgrade(chart: helm.Chart) -> None:
    manifests = render(chart, values_of("full-values.yaml"))
    job = only(manifests, "Job", "kinrw-onboarding")
    assert hooks(job) == {"post-install", "post-upgrade"}
    [container] = job["spec"]["template"]["spec"]["containers"]
    assert container["args"] == [
        "apply",
        "--no-progress",
        "--admin-email",
        "leitung@ki.nrw.example",
    ]
    off = render(chart, values_of("existing-secret-values.yaml"))
    assert not [m for m in off if m["metadata"]["name"] == "kinrw-onboarding"]


def test_the_ingress_serves_the_base_domain_and_its_wildcard_with_tls(chart: helm.Chart) -> None:
    ingress = only(render(chart, values_of("full-values.yaml")), "Ingress", "kinrw")
    hosts = ["ki.nrw.example", "*.ki.nrw.example", "ki.stadt-beispiel.example"]
    assert [rule["host"] for rule in ingress["spec"]["rules"]] == hosts
    assert ingress["spec"]["tls"] == [{"hosts": hosts, "secretName": "kinrw-wildcard-tls"}]
    for rule in ingress["spec"]["rules"]:
        [path] = rule["http"]["paths"]
        assert path["backend"]["service"] == {"name": "kinrw-web", "port": {"name": "http"}}
    assert ingress["spec"]["ingressClassName"] == "nginx"
    plain = only(render(chart, values_of("existing-secret-values.yaml")), "Ingress", "kinrw")
    assert "tls" not in plain["spec"]
    assert [r["host"] for r in plain["spec"]["rules"]] == hosts[:2]


def test_web_probes_health_and_readiness_and_the_worker_its_heartbeat(
    case: tuple[str, list[Manifest]],
) -> None:
    _, manifests = case
    [web] = only(manifests, "Deployment", "kinrw-web")["spec"]["template"]["spec"]["containers"]
    assert web["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert web["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert "httpHeaders" not in str(web)  # the bare pod address is enough
    worker_spec = only(manifests, "Deployment", "kinrw-worker")["spec"]["template"]["spec"]
    [worker] = worker_spec["containers"]
    command = worker["livenessProbe"]["exec"]["command"]
    assert command[:2] == ["kinrw-entrypoint", "worker-alive"]
    assert command[command.index("--max-age") + 1] == "120"
    assert "KINRW_WORKER_HEARTBEAT_FILE" in env_names(worker_spec)


def test_every_pod_runs_non_root_on_a_read_only_root(case: tuple[str, list[Manifest]]) -> None:
    _, manifests = case
    for name, spec in pod_specs(manifests):
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] >= 1000, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"] == {"drop": ["ALL"]}, name
            mounts = {m["mountPath"] for m in container["volumeMounts"]}
            # the only writable places
            assert mounts == {"/tmp", "/var/lib/kinrw"}, name  # noqa: S108


def test_hpa_and_pdb_exist_exactly_when_enabled(chart: helm.Chart) -> None:
    full = render(chart, values_of("full-values.yaml"))
    for component in ("web", "worker"):
        hpa = only(full, "HorizontalPodAutoscaler", f"kinrw-{component}")
        assert hpa["spec"]["scaleTargetRef"]["name"] == f"kinrw-{component}"
        pdb = only(full, "PodDisruptionBudget", f"kinrw-{component}")
        labels = only(full, "Deployment", f"kinrw-{component}")["spec"]["selector"]
        assert pdb["spec"]["selector"] == labels
        # the HPA owns the replica count
        assert "replicas" not in only(full, "Deployment", f"kinrw-{component}")["spec"]
    fixed = render(chart, values_of("existing-secret-values.yaml"))
    assert not [m for m in fixed if m["kind"] in ("HorizontalPodAutoscaler", "PodDisruptionBudget")]
    assert only(fixed, "Deployment", "kinrw-web")["spec"]["replicas"] == 3
    assert only(fixed, "Deployment", "kinrw-worker")["spec"]["replicas"] == 2


def test_an_existing_secret_replaces_the_charts_secret(chart: helm.Chart) -> None:
    manifests = render(chart, values_of("existing-secret-values.yaml"))
    assert not [m for m in manifests if m["kind"] == "Secret"]
    for name, spec in pod_specs(manifests):
        refs = {
            e["secretRef"]["name"]
            for c in spec["containers"]
            for e in c["envFrom"]
            if "secretRef" in e
        }
        assert refs == {"kinrw-secrets"}, name


def test_the_charts_secret_holds_the_secret_settings(chart: helm.Chart) -> None:
    values = values_of("full-values.yaml")
    manifests = render(chart, values)
    secret = only(manifests, "Secret", "kinrw")
    decoded = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert decoded == values["secret"]
    config = only(manifests, "ConfigMap", "kinrw")["data"]
    assert config == {**values["config"], "KINRW_BASE_DOMAIN": "ki.nrw.example"}
    for _name, spec in pod_specs(manifests):
        assert all(
            c["image"] == "registry.it.nrw.example/kinrw/kinrw:0.1.0" for c in spec["containers"]
        )


def test_the_chart_sets_only_variables_the_platform_reads(case: tuple[str, list[Manifest]]) -> None:
    name, manifests = case
    values = values_of(name)
    names = set(values.get("config", {})) | set(values.get("secret", {}))
    for _, spec in pod_specs(manifests):
        names |= env_names(spec)
    assert unread(names) == set()


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"beat": {"replicas": 2}}, "/beat/replicas"),
        ({"baseDomain": ""}, "/baseDomain"),
        ({"baseDomain": "Not A Domain"}, "/baseDomain"),
        ({"webb": {"replicas": 3}}, "webb"),
        ({"config": {"KINRW_HTTPS": True}}, "/config/KINRW_HTTPS"),
        ({"existingSecret": "", "secret": {"DATABASE_URL": "postgres://x"}}, "DJANGO_SECRET_KEY"),
    ],
)
def test_the_values_schema_rejects_bad_values(
    chart: helm.Chart, values: dict[str, Any], complaint: str
) -> None:
    bad = {**values_of("existing-secret-values.yaml"), **values}
    with pytest.raises(helm.HelmValuesError, match=re.escape(complaint)):
        chart.validate_schema(bad)
    with pytest.raises(helm.HelmValuesError):
        chart.render(bad, name="kinrw")


def test_the_defaults_alone_are_refused_for_want_of_a_base_domain(chart: helm.Chart) -> None:
    with pytest.raises(helm.HelmValuesError, match="/baseDomain"):
        chart.validate_schema({})


def _leaf_keys(values: dict[str, Any], prefix: str = "") -> Iterator[str]:
    free_form = {"config", "secret", "resources", "podAnnotations", "podLabels", "annotations"}
    free_form |= {"podSecurityContext", "securityContext", "nodeSelector", "affinity"}
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value and key not in free_form:
            yield from _leaf_keys(value, f"{path}.")
        else:
            yield path


def test_the_readme_documents_every_value() -> None:
    readme = (CHART / "README.md").read_text("utf-8")
    defaults = yaml.safe_load((CHART / "values.yaml").read_text("utf-8"))
    missing = [key for key in _leaf_keys(defaults) if f"`{key}`" not in readme]
    assert missing == []
