#!/usr/bin/env bash
# Runs the Go and pika clients against RingMQ's listener: interop/scripts/against-ringmq.sh
#
# Starts bin/ringmq-server --port 0 --bind 127.0.0.1 (a free loopback port, so it clashes with
# nothing), waits up to 30 s for its "listening on HOST:PORT", runs run-clients.sh against that
# port, and stops the server on exit whatever happened: SIGTERM (it closes every connection with
# 320 CONNECTION_FORCED), SIGKILL if it is still there 15 s later. `mvn -B verify` runs this in
# the interop module's integration-test phase (the Java suite starts its own server in the test
# phase); the server's output and the clients' logs go to interop/target/against-ringmq/.
#
# Needs the server jar (mvn -B -q -DskipTests package) and the clients' Debian packages
# (interop/scripts/packages.sh says which are missing).
#
# Settings (environment, optional): RINGMQ_CLIENT_TIMEOUT (see run-clients.sh).
#
# Exit codes: 0 every scenario passed; 1 a package is missing, the server did not start, or a
# scenario failed.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "${ROOT}"

START_SECONDS=30
STOP_SECONDS=15
OUT="${ROOT}/interop/target/against-ringmq"
SERVER_LOG="${OUT}/ringmq-server.log"
mkdir -p "${OUT}"

interop/scripts/packages.sh require clients || exit 1

server=""
stop_server()
{
    [[ -n "${server}" ]] || return 0
    kill -TERM "${server}" 2>/dev/null
    local deadline=$((SECONDS + STOP_SECONDS))
    while kill -0 "${server}" 2>/dev/null && (( SECONDS < deadline ))
    do
        sleep 0.2
    done
    if kill -0 "${server}" 2>/dev/null
    then
        echo "against-ringmq.sh: bin/ringmq-server ignored SIGTERM for ${STOP_SECONDS}s; killing it" >&2
        kill -KILL "${server}" 2>/dev/null
    fi
    wait "${server}" 2>/dev/null
    server=""
}
trap stop_server EXIT
# A signal ends the script through exit, so the EXIT trap stops the server.
trap 'exit 130' INT
trap 'exit 143' TERM

# bin/ringmq-server execs the JVM, so this pid is the server's own.
# No HTTP listeners (management, Prometheus: port 0 turns them off), so a RabbitMQ on 15672 / 15692 is no clash.
bin/ringmq-server --port 0 --bind 127.0.0.1 --management-port 0 --prometheus-port 0 > "${SERVER_LOG}" 2>&1 < /dev/null &
server=$!

address=""
deadline=$((SECONDS + START_SECONDS))
while [[ -z "${address}" ]] && (( SECONDS < deadline ))
do
    if ! kill -0 "${server}" 2>/dev/null
    then
        break
    fi
    address="$(sed -n 's/.*listening on \([^ :]*:[0-9][0-9]*\).*/\1/p' "${SERVER_LOG}" | head -n 1)"
    [[ -n "${address}" ]] || sleep 0.2
done
if [[ -z "${address}" ]]
then
    if kill -0 "${server}" 2>/dev/null
    then
        echo "against-ringmq.sh: bin/ringmq-server printed no 'listening on HOST:PORT' within ${START_SECONDS}s" >&2
    else
        wait "${server}"
        echo "against-ringmq.sh: bin/ringmq-server exited with $? before listening" >&2
        server=""
    fi
    echo "---- last lines of ${SERVER_LOG} ----" >&2
    tail -n 40 "${SERVER_LOG}" >&2
    exit 1
fi
echo "against-ringmq.sh: bin/ringmq-server (pid ${server}) listening on ${address}"

rc=0
RINGMQ_CLIENT_LOGS="${OUT}" interop/scripts/run-clients.sh "amqp://guest:guest@${address}/" || rc=1
if ! kill -0 "${server}" 2>/dev/null
then
    echo "against-ringmq.sh: bin/ringmq-server died during the run; last lines of ${SERVER_LOG}:" >&2
    tail -n 40 "${SERVER_LOG}" >&2
    rc=1
fi
echo "against RingMQ: clients $([[ ${rc} -eq 0 ]] && echo passed || echo FAILED)"
exit "${rc}"
