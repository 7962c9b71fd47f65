#!/usr/bin/env bash
# What the live and browser tests need beyond npm: a Redis server, a RabbitMQ node, a NATS server and Chromium (the HTML
# report's tests), from Debian's packages (as root, or through sudo where there is one). The tests start their own instances on free ports
# in throwaway folders; the system instances the packages may start are not used.
set -euo pipefail
missing=()
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then missing+=(redis-server); fi
# The tests run Debian's start script directly (its own node name, ports and folders).
if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then missing+=(rabbitmq-server); fi
if ! command -v nats-server >/dev/null; then missing+=(nats-server); fi
if ! command -v chromium >/dev/null; then missing+=(chromium); fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
redis-server --version
dpkg-query -W -f='rabbitmq-server ${Version}\n' rabbitmq-server 2>/dev/null || true
nats-server --version
chromium --version 2>/dev/null || true
