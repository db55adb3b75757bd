#!/usr/bin/env bash
# A private, loopback-only RabbitMQ node for the benchmarks: bench/scripts/rabbitmq.sh {start|stop|status|ctl ARGS...}
#
# Why private: the benchmark must neither clash with nor disturb a RabbitMQ that the machine may
# already run. So the node has its own name, ports, data and log directories, Erlang cookie (a
# private HOME) and its own epmd on a private port; `stop` ends exactly the processes that
# `start` recorded, by pid, and nothing else.
#
# Settings (environment, all optional):
#   RINGMQ_RABBIT_PORT   AMQP port, default 5673 (5672 is left to any system broker)
#   RINGMQ_RABBIT_DIST   Erlang distribution port, default 25673
#   RINGMQ_RABBIT_EPMD   private epmd port, default 4370 (4369 is the system epmd's)
#   RINGMQ_RABBIT_DIR    state directory, default ${TMPDIR:-/tmp}/ringmq-bench-rabbitmq
#   RINGMQ_RABBIT_WAIT   seconds to wait for startup, default 90
#   RINGMQ_RABBIT_CONF   extra rabbitmq.conf lines (newline-separated), appended at start; default none.
#                        The interop suite sets limits it tests with it (max_message_size, channel_max).
#
# `ctl ARGS...` runs rabbitmqctl ARGS against this private node (the settings above pick which one),
# e.g. `ctl set_vm_memory_high_watermark 0` raises the memory alarm that the interop suite observes.
#
# Exit codes: 0 ok; 1 could not install or start (the reason is printed); 2 usage.
set -uo pipefail

PORT="${RINGMQ_RABBIT_PORT:-5673}"
DIST_PORT="${RINGMQ_RABBIT_DIST:-25673}"
EPMD_PORT="${RINGMQ_RABBIT_EPMD:-4370}"
STATE_DIR="${RINGMQ_RABBIT_DIR:-${TMPDIR:-/tmp}/ringmq-bench-rabbitmq}"
WAIT_SECONDS="${RINGMQ_RABBIT_WAIT:-90}"
NODE="ringmq-bench@localhost"
PID_FILE="${STATE_DIR}/rabbitmq.pid"
EPMD_PID_FILE="${STATE_DIR}/epmd.pid"
RABBIT_BIN="/usr/lib/rabbitmq/bin"

say() { echo "rabbitmq.sh: $*" >&2; }

# Every variable the node and its CLI tools read, so rabbitmqctl talks to *our* node only.
node_env()
{
    export HOME="${STATE_DIR}/home"                     # private .erlang.cookie
    export RABBITMQ_NODENAME="${NODE}"
    export RABBITMQ_NODE_IP_ADDRESS="127.0.0.1"
    export RABBITMQ_NODE_PORT="${PORT}"
    export RABBITMQ_DIST_PORT="${DIST_PORT}"
    export RABBITMQ_MNESIA_BASE="${STATE_DIR}/mnesia"
    export RABBITMQ_LOG_BASE="${STATE_DIR}/log"
    export RABBITMQ_PID_FILE="${PID_FILE}"
    export RABBITMQ_ENABLED_PLUGINS_FILE="${STATE_DIR}/enabled_plugins"   # `[].`: management off
    export RABBITMQ_CONFIG_FILE="${STATE_DIR}/rabbitmq"                   # .conf is appended
    export RABBITMQ_ADVANCED_CONFIG_FILE="${STATE_DIR}/advanced.config"
    export RABBITMQ_CONF_ENV_FILE="${STATE_DIR}/rabbitmq-env.conf"        # ignore /etc/rabbitmq
    export ERL_EPMD_ADDRESS="127.0.0.1"
    export ERL_EPMD_PORT="${EPMD_PORT}"
    # Distribution listens on loopback only, like AMQP.
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export LC_ALL=C.UTF-8 LANG=C.UTF-8
}

port_open()
{
    (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null
}

pid_alive()
{
    [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

install_if_missing()
{
    if [[ -x "${RABBIT_BIN}/rabbitmq-server" ]]
    then
        return 0
    fi
    if [[ "$(id -u)" != "0" ]]
    then
        say "rabbitmq-server is not installed and this is not root: cannot apt-get install it"
        return 1
    fi
    say "installing rabbitmq-server with apt-get (one time)"
    # The package's postinst would start the *system* service; a policy-rc.d that says 101
    # ("action forbidden") stops that, and we remove it again afterwards if we created it.
    local policy_created=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]
    then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        policy_created=1
    fi
    local rc=0
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || rc=$?
    if [[ ${rc} -eq 0 ]]
    then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >&2 || rc=$?
    fi
    if [[ ${policy_created} -eq 1 ]]
    then
        rm -f /usr/sbin/policy-rc.d
    fi
    if [[ ${rc} -ne 0 || ! -x "${RABBIT_BIN}/rabbitmq-server" ]]
    then
        say "apt-get install rabbitmq-server failed (exit ${rc})"
        return 1
    fi
}

start()
{
    if pid_alive "${PID_FILE}" && port_open
    then
        say "already running: node ${NODE}, amqp://127.0.0.1:${PORT}, pid $(cat "${PID_FILE}")"
        return 0
    fi
    if port_open
    then
        say "port ${PORT} is taken by something that is not our node; set RINGMQ_RABBIT_PORT"
        return 1
    fi
    install_if_missing || return 1

    mkdir -p "${STATE_DIR}/home" "${STATE_DIR}/mnesia" "${STATE_DIR}/log"
    echo '[].' > "${STATE_DIR}/enabled_plugins"
    # guest may log in from loopback only (RabbitMQ's default); we only listen on loopback anyway.
    cat > "${STATE_DIR}/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:${PORT}
loopback_users.guest = true
log.console = false
log.file.level = warning
EOF
    if [[ -n "${RINGMQ_RABBIT_CONF:-}" ]]
    then
        printf '%s\n' "${RINGMQ_RABBIT_CONF}" >> "${STATE_DIR}/rabbitmq.conf"
    fi
    echo '[].' > "${STATE_DIR}/advanced.config"
    : > "${STATE_DIR}/rabbitmq-env.conf"
    node_env

    # Our own epmd on a private port, so stop can end it without touching the system's.
    epmd -address 127.0.0.1 -port "${EPMD_PORT}" -daemon
    sleep 0.3
    local epmd_pid
    epmd_pid="$(pgrep -n -f "epmd -address 127.0.0.1 -port ${EPMD_PORT}" || true)"
    if [[ -n "${epmd_pid}" ]]
    then
        echo "${epmd_pid}" > "${EPMD_PID_FILE}"
    fi

    # setsid: the node must outlive this shell (the runner's trap stops it), and must not get
    # the terminal's SIGINT before our trap runs `stop`.
    setsid "${RABBIT_BIN}/rabbitmq-server" > "${STATE_DIR}/log/console.out" 2>&1 < /dev/null &
    local launcher=$!
    echo "${launcher}" > "${STATE_DIR}/launcher.pid"

    local deadline=$((SECONDS + WAIT_SECONDS))
    while (( SECONDS < deadline ))
    do
        if ! kill -0 "${launcher}" 2>/dev/null
        then
            say "the node exited during startup; last lines of ${STATE_DIR}/log/console.out:"
            tail -n 20 "${STATE_DIR}/log/console.out" >&2
            stop >/dev/null 2>&1
            return 1
        fi
        if port_open
        then
            # The port answers before boot finishes; await_startup says when it is ready.
            if timeout 60 "${RABBIT_BIN}/rabbitmqctl" -n "${NODE}" await_startup --timeout 60 >/dev/null 2>&1
            then
                say "running: node ${NODE}, amqp://guest:guest@127.0.0.1:${PORT}, pid $(cat "${PID_FILE}" 2>/dev/null || echo "${launcher}")"
                return 0
            fi
        fi
        sleep 1
    done
    say "no answer on 127.0.0.1:${PORT} after ${WAIT_SECONDS}s; see ${STATE_DIR}/log"
    stop >/dev/null 2>&1
    return 1
}

stop()
{
    node_env
    if pid_alive "${PID_FILE}" || pid_alive "${STATE_DIR}/launcher.pid"
    then
        timeout 30 "${RABBIT_BIN}/rabbitmqctl" -n "${NODE}" stop >/dev/null 2>&1 || true
    fi
    # Whatever did not stop gracefully is ended by pid, never by name.
    local f pid
    for f in "${PID_FILE}" "${STATE_DIR}/launcher.pid"
    do
        if pid_alive "${f}"
        then
            pid="$(cat "${f}")"
            kill "${pid}" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10
            do
                kill -0 "${pid}" 2>/dev/null || break
                sleep 0.5
            done
            kill -9 "${pid}" 2>/dev/null || true
        fi
        rm -f "${f}"
    done
    # epmd: ask the one on our private port to exit, then make sure by pid.
    epmd -port "${EPMD_PORT}" -kill >/dev/null 2>&1 || true
    if pid_alive "${EPMD_PID_FILE}"
    then
        kill "$(cat "${EPMD_PID_FILE}")" 2>/dev/null || true
    fi
    rm -f "${EPMD_PID_FILE}"
    say "stopped node ${NODE} (port ${PORT}) and its epmd (port ${EPMD_PORT})"
}

status()
{
    if pid_alive "${PID_FILE}" && port_open
    then
        say "running: node ${NODE}, amqp://127.0.0.1:${PORT}, pid $(cat "${PID_FILE}")"
        return 0
    fi
    say "not running (node ${NODE}, port ${PORT})"
    return 1
}

ctl()
{
    node_env
    timeout 60 "${RABBIT_BIN}/rabbitmqctl" -n "${NODE}" "$@"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    ctl) shift; ctl "$@" ;;
    *) echo "usage: $0 {start|stop|status|ctl ARGS...}" >&2; exit 2 ;;
esac
