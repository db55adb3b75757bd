#!/usr/bin/env bash
# Runs every interop suite against a private RabbitMQ 3.10: interop/scripts/against-rabbitmq.sh [stop]
#
# Starts the node with bench/scripts/rabbitmq.sh on the interop ports (AMQP 5674, distribution
# 25674, epmd 4371, state in /tmp/ringmq-interop-rabbitmq) with the limits the suites test
# (max_message_size, channel_max), runs run-clients.sh and the Java suite against it, and stops
# it on exit, whatever happened. The same scenarios run against RingMQ show any difference.
# `mvn -B verify` runs this in the interop module's integration-test phase, after
# against-ringmq.sh. `stop` stops a node (and its epmd) that a killed run left behind.
#
# The Java suite runs in a Maven of its own: `-pl interop -am` with a -Dtest filter, so that the
# modules interop builds after come from this checkout (a clean machine has none installed) while
# only interop's tests run; its reports get the suffix "rabbitmq" (TEST-...-rabbitmq.xml), beside
# those of the run against RingMQ. Clients' logs go to interop/target/against-rabbitmq/.
#
# Settings (environment, optional): RINGMQ_CLIENT_TIMEOUT (see run-clients.sh); MVN, the Maven
# to run (default mvn; the interop pom passes its own); MVN_ARGS, extra Maven arguments (e.g. -o -q).
#
# Exit codes: 0 both suites passed; 1 a Debian package is missing, RabbitMQ did not start or a
# suite failed.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "${ROOT}"

export RINGMQ_RABBIT_PORT=5674 RINGMQ_RABBIT_DIST=25674 RINGMQ_RABBIT_EPMD=4371
export RINGMQ_RABBIT_DIR=/tmp/ringmq-interop-rabbitmq
MAX_MESSAGE_SIZE=1048576
export RINGMQ_RABBIT_CONF="max_message_size = ${MAX_MESSAGE_SIZE}
channel_max = 64"
URI="amqp://guest:guest@127.0.0.1:${RINGMQ_RABBIT_PORT}/"
RABBITMQ="${ROOT}/bench/scripts/rabbitmq.sh"

if [[ "${1:-}" == stop ]]
then
    exec "${RABBITMQ}" stop
fi

# Before anything starts: rabbitmq.sh would apt-get install a missing server itself, and the
# clients need Go and pika; a test run says what is missing instead of installing it.
interop/scripts/packages.sh require clients rabbitmq || exit 1

trap '"${RABBITMQ}" stop' EXIT
# A signal ends the script through exit, so the EXIT trap stops the node.
trap 'exit 130' INT
trap 'exit 143' TERM
"${RABBITMQ}" start || exit 1

clients=0
RINGMQ_CLIENT_LOGS="${ROOT}/interop/target/against-rabbitmq" interop/scripts/run-clients.sh "${URI}" || clients=1

java=0
# The memory alarm is how RabbitMQ is made to send connection.blocked: a watermark of 0 raises it.
# shellcheck disable=SC2086
"${MVN:-mvn}" -B ${MVN_ARGS:-} -pl interop -am test \
    -Dtest='io.ringmq.interop.*Test' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.reportNameSuffix=rabbitmq \
    -Dringmq.amqp.uri="${URI}" \
    -Dringmq.interop.max.message.size="${MAX_MESSAGE_SIZE}" \
    -Dringmq.interop.alarm.raise="${RABBITMQ} ctl set_vm_memory_high_watermark 0" \
    -Dringmq.interop.alarm.clear="${RABBITMQ} ctl set_vm_memory_high_watermark 0.4" || java=1

echo "against RabbitMQ: clients $([[ ${clients} -eq 0 ]] && echo passed || echo FAILED)," \
     "Java suite $([[ ${java} -eq 0 ]] && echo passed || echo FAILED)"
[[ ${clients} -eq 0 && ${java} -eq 0 ]]
