#!/usr/bin/env bash
# The live suite: herald's broker plans against real NATS, Mosquitto, RabbitMQ
# and Redis servers, and the fleet example against real NATS.
#
# Installs the four Debian packages when missing (apt-get, said once on
# stderr), starts each server on loopback on free ports with its own config
# and data directory under one temporary directory, waits until each accepts
# connections, runs pytest on tests/brokers and examples/fleet, and stops
# every server at the end, also on failure. The Python clients (nats-py,
# paho-mqtt, pika, redis) live in target/brokers-venv, made on first use.
# herald itself comes from this checkout: libherald (a debug build) and
# bindings/python.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
python=${PYTHON:-python3}
export PATH="$PATH:/usr/sbin:/sbin"
started_at=$EPOCHREALTIME
elapsed() { awk -v s="$started_at" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }'; }

# -- the servers' packages
missing=()
for pair in nats-server:nats-server mosquitto:mosquitto rabbitmq-server:rabbitmq-server redis-server:redis-server; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if ((${#missing[@]})); then
    echo "-- installing ${missing[*]} with apt-get" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# -- the Python clients, in a venv of their own (reused while the list is the same)
venv="$target/brokers-venv"
requirements="nats-py>=2.6 paho-mqtt>=2.0 pika>=1.3 redis>=5 pytest>=7"
if [[ ! -x "$venv/bin/python" || "$(cat "$venv/requirements" 2>/dev/null)" != "$requirements" ]]; then
    echo "-- venv at $venv: $requirements"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    # shellcheck disable=SC2086 # the list is words on purpose
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet --progress-bar off $requirements
    echo "$requirements" >"$venv/requirements"
fi

# -- herald: libherald plans, routes and decodes (through bindings/python)
(cd "$root" && cargo build --locked -q -p herald-ffi)
case "$(uname -s)" in
    Darwin) library="$target/debug/libherald.dylib" ;;
    *) library="$target/debug/libherald.so" ;;
esac

# -- one temporary directory for every server's config, data and logs
dir=$(mktemp -d "${TMPDIR:-/tmp}/herald-brokers.XXXXXX")
chmod 755 "$dir"
pids=()
rabbit_node="herald-$$@localhost"
read -r nats_port mqtt_port redis_port amqp_port dist_port epmd_port < <("$python" - <<'EOF'
import socket
sockets = [socket.socket() for _ in range(6)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
EOF
)

# Whether something still listens on a loopback port.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop() {
    local status=$?
    if [[ -n "${rabbit_started:-}" ]]; then
        # The package's rabbitmqctl runs as the rabbitmq user, with the cookie
        # the node was started with; the node name and epmd port are ours.
        ERL_EPMD_PORT=$epmd_port rabbitmqctl -q -n "$rabbit_node" stop >/dev/null 2>&1 || true
    fi
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "${rabbit_started:-}" ]]; then
        # The Erlang VM outlives its launcher by a moment; epmd refuses to stop
        # while a node is registered, and it is ours alone (its own port).
        # Our node alone runs with our epmd port on its command line.
        for ((tries = 0; tries < 300; tries++)); do
            pgrep -f -- "-epmd_port $epmd_port( |\$)" >/dev/null || break
            sleep 0.05
        done
        for ((tries = 0; tries < 100; tries++)); do
            epmd -port "$epmd_port" -kill >/dev/null 2>&1 || true
            listening "$epmd_port" || break
            sleep 0.05
        done
    fi
    if ((status != 0)); then
        for log in "$dir"/*.log; do
            [[ -s "$log" ]] && { echo "-- $log (last lines)" >&2; tail -n 20 "$log" >&2; }
        done
    fi
    rm -rf "$dir"
    exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "-- starting nats-server :$nats_port, mosquitto :$mqtt_port, redis-server :$redis_port, rabbitmq-server :$amqp_port in $dir"

cat >"$dir/nats.conf" <<EOF
listen: 127.0.0.1:$nats_port
max_payload: 1MB
EOF
nats-server -c "$dir/nats.conf" >"$dir/nats.log" 2>&1 &
pids+=($!)

cat >"$dir/mosquitto.conf" <<EOF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
log_dest stderr
EOF
mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
pids+=($!)

mkdir -p "$dir/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$dir/redis" --client-output-buffer-limit "pubsub 0 0 0" >"$dir/redis.log" 2>&1 &
pids+=($!)

# RabbitMQ: its own node name, AMQP, distribution and epmd ports, data and
# log directories, and no plugins.
mkdir -p "$dir/rmq" "$dir/rmqlog"
echo "[]." >"$dir/enabled_plugins"
if id rabbitmq >/dev/null 2>&1; then
    chown -R rabbitmq:rabbitmq "$dir/rmq" "$dir/rmqlog"
fi
RABBITMQ_NODENAME="$rabbit_node" RABBITMQ_NODE_PORT="$amqp_port" \
    RABBITMQ_DIST_PORT="$dist_port" ERL_EPMD_PORT="$epmd_port" \
    RABBITMQ_MNESIA_BASE="$dir/rmq" RABBITMQ_LOG_BASE="$dir/rmqlog" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    rabbitmq-server >"$dir/rabbitmq.log" 2>&1 &
pids+=($!)
rabbit_started=1

# -- wait until each accepts connections (RabbitMQ takes seconds)
for entry in "NATS:$nats_port" "Mosquitto:$mqtt_port" "Redis:$redis_port" "RabbitMQ:$amqp_port"; do
    name=${entry%%:*} port=${entry##*:}
    for ((tries = 0; ; tries++)); do
        listening "$port" && break
        if ((tries >= 600)); then
            echo "$name did not accept connections on port $port within 60 s" >&2
            exit 1
        fi
        sleep 0.1
    done
done
echo "-- all four accept connections ($(elapsed) s since the start)"

cd "$root"
HERALD_LIBRARY="$library" PYTHONPATH="$root/bindings/python" \
    HERALD_NATS_PORT=$nats_port HERALD_MQTT_PORT=$mqtt_port HERALD_REDIS_PORT=$redis_port \
    HERALD_AMQP_PORT=$amqp_port \
    "$venv/bin/python" -m pytest -p no:cacheprovider -q -s --strict-markers -rs \
    --basetemp="$root/target/brokers-pytest-tmp" "$@" tests/brokers examples/fleet
echo "-- live suite done in $(elapsed) s"
