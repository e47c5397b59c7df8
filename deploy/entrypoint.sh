#!/usr/bin/env bash
# Entrypoint of the KI-Plattform NRW image (deploy/Dockerfile, helm/kinrw, deploy/compose.yaml).
# One image, one role per container: the first argument names it. Every role replaces this
# shell (exec), so the process gets the signals of the container runtime directly.
# It also runs outside a container with a virtualenv's bin/ on PATH (tests/deploy).
set -euo pipefail

usage() {
    cat <<'EOF'
KI-Plattform NRW – Container-Einstieg

  web            gunicorn mit kinrw.conf.wsgi auf $KINRW_BIND:$PORT (Standard 0.0.0.0:8000)
  worker         Celery-Worker (Warteschlange kinrw) mit Herzschlag-Datei für die Liveness-Probe
  beat           Celery-Beat: genau einer in der ganzen Installation
  migrate        kinrw migrate (öffentliches Schema, Vorlage, jedes KI-Schema im Rückstand)
  apply          kinrw tenants apply (Register aus dem Image, $KINRW_REGISTRY_PATH)
  release        migrate, danach apply (Einmal-Dienst in compose.yaml)
  worker-alive   Liveness-Probe des Workers (kinrw worker-alive)
  kinrw ARGS…    beliebiger kinrw-Befehl
  help           diese Hilfe

Jeder andere Befehl wird unverändert ausgeführt (z. B. bash).
EOF
}

# The worker touches this file; the probe (worker-alive) reads it. Both default to it.
heartbeat_default="${TMPDIR:-/tmp}/kinrw-worker-heartbeat"

role="${1:-help}"
if [[ $# -gt 0 ]]; then
    shift
fi

case "$role" in
web)
    # Static files were collected at build time; `kinrw serve` would collect them again.
    exec gunicorn kinrw.conf.wsgi:application \
        --bind "${KINRW_BIND:-0.0.0.0}:${PORT:-8000}" \
        --workers "${KINRW_WEB_WORKERS:-2}" \
        --threads "${KINRW_WEB_THREADS:-4}" \
        --timeout "${KINRW_WEB_TIMEOUT:-60}" \
        --graceful-timeout 25 \
        --worker-tmp-dir "${TMPDIR:-/tmp}" \
        --forwarded-allow-ips "${KINRW_PROXIES:-127.0.0.1}" \
        "$@"
    ;;
worker)
    export KINRW_WORKER_HEARTBEAT_FILE="${KINRW_WORKER_HEARTBEAT_FILE:-$heartbeat_default}"
    exec celery -A kinrw.conf.celery worker \
        -Q kinrw \
        --concurrency "${KINRW_WORKER_CONCURRENCY:-2}" \
        -l "${KINRW_WORKER_LOG_LEVEL:-INFO}" \
        -n "kinrw@%h" \
        "$@"
    ;;
beat)
    # its schedule file lives in $KINRW_DATA_DIR (an emptyDir in Kubernetes)
    if [[ -n "${KINRW_DATA_DIR:-}" ]]; then
        mkdir -p "$KINRW_DATA_DIR"
    fi
    exec celery -A kinrw.conf.celery beat -l "${KINRW_WORKER_LOG_LEVEL:-INFO}" "$@"
    ;;
migrate)
    exec kinrw migrate "$@"
    ;;
apply)
    exec kinrw tenants apply "$@"
    ;;
release)
    kinrw migrate
    exec kinrw tenants apply "$@"
    ;;
worker-alive)
    export KINRW_WORKER_HEARTBEAT_FILE="${KINRW_WORKER_HEARTBEAT_FILE:-$heartbeat_default}"
    exec kinrw worker-alive "$@"
    ;;
kinrw)
    exec kinrw "$@"
    ;;
help | -h | --help)
    usage
    ;;
*)
    exec "$role" "$@"
    ;;
esac
