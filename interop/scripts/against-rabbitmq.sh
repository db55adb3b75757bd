#!/usr/bin/env bash
# Runs every interop suite against a private RabbitMQ 3.10: interop/scripts/against-rabbitmq.sh
#
# Starts the node with bench/scripts/rabbitmq.sh on the interop ports (AMQP 5674, distribution
# 25674, epmd 4371, state in /tmp/ringmq-interop-rabbitmq) with the limits the suites test
# (max_message_size, channel_max), runs run-clients.sh and the Java suite against it, and stops
# it on exit, whatever happened. The same scenarios run against RingMQ show any difference.
#
# Settings (environment, optional): RINGMQ_CLIENT_TIMEOUT (see run-clients.sh); MVN_ARGS, extra
# Maven arguments (e.g. -o -q).
#
# Exit codes: 0 both suites passed; 1 RabbitMQ did not start or a suite failed.
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

trap '"${RABBITMQ}" stop' EXIT
"${RABBITMQ}" start || exit 1

clients=0
interop/scripts/run-clients.sh "${URI}" || clients=1

java=0
# The memory alarm is how RabbitMQ is made to send connection.blocked: a watermark of 0 raises it.
# shellcheck disable=SC2086
mvn -B ${MVN_ARGS:-} -pl interop test \
    -Dringmq.amqp.uri="${URI}" \
    -Dringmq.interop.max.message.size="${MAX_MESSAGE_SIZE}" \
    -Dringmq.interop.alarm.raise="${RABBITMQ} ctl set_vm_memory_high_watermark 0" \
    -Dringmq.interop.alarm.clear="${RABBITMQ} ctl set_vm_memory_high_watermark 0.4" || java=1

echo "against RabbitMQ: clients $([[ ${clients} -eq 0 ]] && echo passed || echo FAILED)," \
     "Java suite $([[ ${java} -eq 0 ]] && echo passed || echo FAILED)"
[[ ${clients} -eq 0 && ${java} -eq 0 ]]
