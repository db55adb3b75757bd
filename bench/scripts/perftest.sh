#!/usr/bin/env bash
# The network stage: RabbitMQ's load tool, PerfTest, against RabbitMQ, Apache Qpid Broker-J and RingMQ's AMQP
# listener, one broker at a time, all on 127.0.0.1, with the same PerfTest flags for every broker.
#
#   bench/scripts/perftest.sh [quick|full] [RESULT.jsonl]      (run.sh calls it for RINGMQ_BENCH_STAGES=network)
#
# For each broker: start it, one discarded warm-up run, then every run of io.ringmq.bench.report.NetworkWorkload
# (throughput in three ack modes at 12 B and 1 KiB, latency at a fixed 10,000 msgs/s, and PerfTest's own
# ceiling: publish-only and fill-then-drain), then stop it. Brokers and ports:
#   rabbitmq  bench/scripts/rabbitmq.sh start|stop: a private RabbitMQ node, 127.0.0.1:5673 (its defaults)
#   qpid      io.ringmq.bench.network.QpidBroker in its own JVM, 127.0.0.1:5675
#   ringmq    bin/ringmq-server --port 5676 --bind 127.0.0.1 (no HTTP listeners) --config (ringmq.queue_capacity = 2^20), a 2 GiB heap,
#             ready when it prints "listening on"; not built: "RingMQ listener not built yet", the stage goes on
#
# Writes RESULT.jsonl (default docs/bench/network-<profile>.jsonl; RINGMQ_BENCH_OUT=DIR puts it in DIR): one line
# per PerfTest run with its console output, one per broker with its status, CPU and settings (format:
# io.ringmq.bench.report.NetworkResults). PerfTest's and the brokers' logs: bench/target/perftest-<profile>/.
# The clock ticks of the RabbitMQ node (not a child of this script, so `times` cannot see them) go to
# bench/target/perftest-<profile>/foreign-ticks, for run.sh's per-stage CPU accounting.
#
# Settings (environment, all optional):
#   RINGMQ_BENCH_NETWORK_BROKERS   which brokers, in order (default "rabbitmq qpid ringmq")
#   RINGMQ_BENCH_NETWORK_SECONDS   seconds per measured run (default: quick 15, full 60)
#   RINGMQ_BENCH_SKIP_BUILD=1      reuse bench/target/perftest and bench/network/target
#   RINGMQ_QPID_JAVA_OPTS          the Qpid JVM's options (default below)
#   RINGMQ_BENCH_READY_WAIT        seconds a broker JVM may take to print its ready line (default 90)
# Needs bench/target/benchmarks.jar (run.sh builds it): the run list comes from there.
set -uo pipefail

PROFILE="${1:-quick}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "${ROOT}"
OUT="${RINGMQ_BENCH_OUT:-docs/bench}"
RESULT="${2:-${OUT}/network-${PROFILE}.jsonl}"
JAR="bench/target/benchmarks.jar"
LOGS="bench/target/perftest-${PROFILE}"
TIMES_FILE="${LOGS}/.times"
PERFTEST_CP="bench/target/perftest/*"
QPID_CP="bench/network/target/classes:bench/network/target/lib/*"
BROKERS="${RINGMQ_BENCH_NETWORK_BROKERS:-rabbitmq qpid ringmq}"
RABBIT_SH="bench/scripts/rabbitmq.sh"
RABBIT_PORT="${RINGMQ_RABBIT_PORT:-5673}"
QPID_PORT=5675
RINGMQ_PORT=5676
RINGMQ_SERVER="bin/ringmq-server"
# Qpid's memory guide: heap for ~1.7 kB per queued message, direct memory for the bodies, G1 as its qpid-server
# script sets it; raised from its 0.5 GB / 1.5 GB defaults because the drain runs queue a few 100,000 messages.
QPID_JAVA_OPTS="${RINGMQ_QPID_JAVA_OPTS:--Xms2g -Xmx2g -XX:MaxDirectMemorySize=2g -XX:+UseG1GC}"
# RingMQ's queues are rings (8192 messages by default, then a full queue holds its publisher back); the drain runs
# queue a few 100,000 messages, so the bench gives the server rings of 2^20 (ringmq.queue_capacity) and the heap
# Qpid gets. Its default options otherwise: bin/ringmq-server's, Netty's leak detector off.
RINGMQ_BENCH_CONF="bench/target/ringmq-bench.conf"
RINGMQ_BENCH_JAVA_OPTS="${RINGMQ_JAVA_OPTS:--Xms2g -Xmx2g -Dio.netty.leakDetection.level=disabled}"
READY_WAIT="${RINGMQ_BENCH_READY_WAIT:-90}"
# PerfTest formats numbers with the JVM's locale; the report reads them with a decimal point.
PERFTEST_JAVA_OPTS=(-Duser.language=en -Duser.country=US)

source "${ROOT}/bench/scripts/measure.sh"

say() { echo "perftest.sh: $*" >&2; }

case "${PROFILE}" in
    quick|full) ;;
    *) echo "usage: $0 [quick|full] [RESULT.jsonl]" >&2; exit 2 ;;
esac

# A JSON string of stdin: escapes, ANSI colours and control characters dropped, lines joined with \n.
json_text()
{
    awk 'BEGIN { ORS = ""; printf "\"" }
         { gsub(/\r/, ""); gsub(/\033\[[0-9;]*m/, ""); gsub(/\\/, "&&"); gsub(/"/, "\\\""); gsub(/\t/, "\\t");
           gsub(/[\001-\010\013-\037]/, ""); if (NR > 1) printf "\\n"; printf "%s", $0 }
         END { printf "\"" }'
}
json() { printf '%s' "$1" | json_text; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- build ---------------------------------------------------------------------------------------------------
mkdir -p "${LOGS}" "$(dirname "${RESULT}")"
if [[ "${RINGMQ_BENCH_SKIP_BUILD:-0}" != "1" ]]
then
    say "fetching PerfTest (mvn -q -f bench/perftest/pom.xml package) and building the Qpid broker (bench/network)"
    if ! mvn -B -q -f bench/perftest/pom.xml package > "${LOGS}/build.log" 2>&1 \
        || ! mvn -B -q -pl bench/network package -Dmaven.test.skip=true >> "${LOGS}/build.log" 2>&1
    then
        tail -n 30 "${LOGS}/build.log" >&2
        say "build failed (see ${LOGS}/build.log): no network stage"
        exit 1
    fi
fi
if [[ ! -f "${JAR}" ]] || ! compgen -G "bench/target/perftest/perf-test-*.jar" > /dev/null
then
    say "${JAR} or bench/target/perftest is missing: build first (bench/scripts/run.sh does)"
    exit 1
fi
PLAN=()
if [[ -n "${RINGMQ_BENCH_NETWORK_SECONDS:-}" ]]
then
    mapfile -t PLAN < <(java -cp "${JAR}" io.ringmq.bench.report.NetworkWorkload "${PROFILE}" "${RINGMQ_BENCH_NETWORK_SECONDS}")
else
    mapfile -t PLAN < <(java -cp "${JAR}" io.ringmq.bench.report.NetworkWorkload "${PROFILE}")
fi
if [[ ${#PLAN[@]} -eq 0 ]]
then
    say "no run list from io.ringmq.bench.report.NetworkWorkload"
    exit 1
fi
MEASURED_SECONDS="$(printf '%s\n' "${PLAN[@]}" | awk -F'\t' '$1 == "auto-ack-12B" { n = split($2, f, " "); for (i = 1; i < n; i++) if (f[i] == "-z") print f[i + 1] }')"

rm -f "${RESULT}" "${LOGS}"/*.log "${LOGS}/foreign-ticks"
VERSIONS="$(java -cp "${PERFTEST_CP}" com.rabbitmq.perf.PerfTest --version 2>&1)"
PERFTEST_VERSION="$(sed -n '1p' <<< "${VERSIONS}" | json_text)"
CLIENT_VERSION="$(grep -m1 'AMQP Client' <<< "${VERSIONS}" | json_text)"
echo "{\"type\":\"stage\",\"profile\":$(json "${PROFILE}"),\"perftest\":${PERFTEST_VERSION},\"client\":${CLIENT_VERSION},\"seconds\":${MEASURED_SECONDS:-0}}" >> "${RESULT}"

# --- brokers ---------------------------------------------------------------------------------------------------
BROKER_PID=""        # a broker JVM (or script) this shell started, in its own process group
RABBIT_STARTED=0
FOREIGN_TICKS=0      # RabbitMQ node ticks over all legs

stop_broker()
{
    if [[ ${RABBIT_STARTED} -eq 1 ]]
    then
        "${RABBIT_SH}" stop >> "${LOGS}/rabbitmq.log" 2>&1 || true
        RABBIT_STARTED=0
    fi
    if [[ -n "${BROKER_PID}" ]]
    then
        # The whole process group: a start script and the JVM it runs. By id, never by name.
        kill -TERM -- "-${BROKER_PID}" 2>/dev/null
        local deadline=$((SECONDS + 30))
        while kill -0 "${BROKER_PID}" 2>/dev/null && (( SECONDS < deadline ))
        do
            sleep 0.5
        done
        kill -KILL -- "-${BROKER_PID}" 2>/dev/null
        wait "${BROKER_PID}" 2>/dev/null
        BROKER_PID=""
    fi
}
trap stop_broker EXIT
trap 'exit 130' INT TERM

# start_jvm_broker NAME PORT READY_PATTERN COMMAND...: start it in its own process group, wait for its ready line
# (on its stdout, NAME.out, or its stderr, NAME.log).
start_jvm_broker()
{
    local name="$1" port="$2" ready="$3"
    shift 3
    if port_open "${port}"
    then
        START_ERROR="port ${port} is already taken"
        return 1
    fi
    set -m    # job control: the broker gets its own process group, so stop_broker can end it and its children
    "$@" > "${LOGS}/${name}.out" 2> "${LOGS}/${name}.log" < /dev/null &
    BROKER_PID=$!
    set +m
    local deadline=$((SECONDS + READY_WAIT))
    while (( SECONDS < deadline ))
    do
        if grep -q -- "${ready}" "${LOGS}/${name}.out" "${LOGS}/${name}.log" 2>/dev/null
        then
            return 0
        fi
        if ! kill -0 "${BROKER_PID}" 2>/dev/null
        then
            wait "${BROKER_PID}" 2>/dev/null
            START_ERROR="exited during startup with $?: $(tail -n 3 "${LOGS}/${name}.log" "${LOGS}/${name}.out" 2>/dev/null | tr '\n' ' ' | cut -c1-300)"
            BROKER_PID=""
            return 1
        fi
        sleep 0.5
    done
    START_ERROR="no \"${ready}\" after ${READY_WAIT} s"
    stop_broker
    return 1
}

# broker_line NAME STATUS DETAIL OTHER_CORES BROKER_CORES SECONDS
broker_line()
{
    echo "{\"type\":\"broker\",\"broker\":$(json "$1"),\"status\":$(json "$2"),\"detail\":$(json "$3"),\"otherCpu\":${4:-\"NaN\"},\"brokerCpu\":${5:-\"NaN\"},\"seconds\":${6:-0}}" >> "${RESULT}"
}

# run_perftest BROKER PORT ID FLAGS: one PerfTest JVM, bounded in time, its console kept and recorded.
run_perftest()
{
    local broker="$1" port="$2" id="$3" flags="$4"
    local log="${LOGS}/${broker}-${id}.log" limit
    limit="$(awk '{ for (i = 1; i < NF; i++) if ($i == "-z") print $(i + 1) }' <<< "${flags}")"
    say "${broker} ${id}: ${flags}"
    # Word-split on purpose: the flags are PerfTest's arguments.
    # shellcheck disable=SC2086
    timeout --kill-after=10 $(( ${limit:-60} + 60 )) java "${PERFTEST_JAVA_OPTS[@]}" -cp "${PERFTEST_CP}" \
        com.rabbitmq.perf.PerfTest -h "amqp://guest:guest@127.0.0.1:${port}" -d "${broker}-${id}" ${flags} \
        > "${log}" 2>&1 < /dev/null
    local rc=$?
    grep -E 'sending rate avg|receiving rate avg|latency min' "${log}" | sed 's/^/    /' >&2
    echo "{\"type\":\"run\",\"broker\":$(json "${broker}"),\"workload\":$(json "${id}"),\"flags\":$(json "${flags}"),\"exit\":${rc},\"output\":$(tail -n 400 "${log}" | json_text)}" >> "${RESULT}"
}

leg()
{
    local broker="$1" port detail broker_ticks=0 foreign=0
    local from=${SECONDS} busy_from own_from
    own_cpu; own_from="${OWN_CPU}"; busy_from="$(cpu_busy)"
    START_ERROR=""
    case "${broker}" in
        rabbitmq)
            port="${RABBIT_PORT}"
            if "${RABBIT_SH}" status > /dev/null 2>&1
            then
                broker_line rabbitmq failed "a RabbitMQ node is already running on ${port}: not ours to measure or stop"
                return
            fi
            if ! "${RABBIT_SH}" start >> "${LOGS}/rabbitmq.log" 2>&1
            then
                broker_line rabbitmq failed "bench/scripts/rabbitmq.sh start failed: $(tail -n 2 "${LOGS}/rabbitmq.log" | tr '\n' ' ')"
                return
            fi
            RABBIT_STARTED=1
            detail="RabbitMQ $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null) (Debian package) on Erlang $(dpkg-query -W -f '${Version}' erlang-base 2>/dev/null): bench/scripts/rabbitmq.sh's private node, its defaults (classic queues, credit flow, no management plugin), loopback only"
            ;;
        qpid)
            port="${QPID_PORT}"
            # Word-split on purpose: JVM options.
            # shellcheck disable=SC2086
            if ! start_jvm_broker qpid "${port}" "qpid ready: " java ${QPID_JAVA_OPTS} -cp "${QPID_CP}" \
                io.ringmq.bench.network.QpidBroker --port "${port}" --bind 127.0.0.1 \
                --work-dir "${TMPDIR:-/tmp}/ringmq-bench-qpid"
            then
                broker_line qpid failed "QpidBroker: ${START_ERROR}"
                return
            fi
            detail="$(grep -m1 'qpid ready: ' "${LOGS}/qpid.out" | sed 's/^qpid ready: //'); JVM ${QPID_JAVA_OPTS}; memory virtual host, Qpid's defaults otherwise (8 I/O threads, no queue limits)"
            ;;
        ringmq)
            port="${RINGMQ_PORT}"
            if [[ ! -x "${RINGMQ_SERVER}" ]]
            then
                say "RingMQ listener not built yet (no ${RINGMQ_SERVER}): going on without it"
                broker_line ringmq not-built "RingMQ listener not built yet (no ${RINGMQ_SERVER})"
                return
            fi
            echo "ringmq.queue_capacity = 1048576" > "${RINGMQ_BENCH_CONF}"
            if ! start_jvm_broker ringmq "${port}" "listening on" env RINGMQ_JAVA_OPTS="${RINGMQ_BENCH_JAVA_OPTS}" \
                "${RINGMQ_SERVER}" --port "${port}" --bind 127.0.0.1 --management-port 0 --prometheus-port 0 \
                --config "${RINGMQ_BENCH_CONF}"
            then
                broker_line ringmq failed "${RINGMQ_SERVER}: ${START_ERROR}"
                return
            fi
            detail="${RINGMQ_SERVER} --port ${port} --bind 127.0.0.1 --management-port 0 --prometheus-port 0 --config ${RINGMQ_BENCH_CONF} ($(git rev-parse --short HEAD 2>/dev/null)): $(grep -h -m1 'listening on' "${LOGS}/ringmq.out" "${LOGS}/ringmq.log" | head -n 1); ringmq.queue_capacity = 1048576; JVM ${RINGMQ_BENCH_JAVA_OPTS}"
            ;;
        *)
            say "unknown broker ${broker}"
            return
            ;;
    esac
    say "${broker} up on 127.0.0.1:${port}; load $(load)"

    local line id flags
    for line in "${PLAN[@]}"
    do
        id="${line%%$'\t'*}"
        flags="${line#*$'\t'}"
        run_perftest "${broker}" "${port}" "${id}" "${flags}"
    done

    if [[ ${RABBIT_STARTED} -eq 1 ]]
    then
        broker_ticks="$(rabbit_cpu)"
        foreign="${broker_ticks}"
        FOREIGN_TICKS=$((FOREIGN_TICKS + foreign))
    elif [[ -n "${BROKER_PID}" ]]
    then
        broker_ticks="$(group_ticks "${BROKER_PID}")"   # counted again by `times` once it is waited for
    fi
    stop_broker
    own_cpu
    local secs=$((SECONDS - from))
    local other
    other="$(other_cores $(( $(cpu_busy) - busy_from )) $(( OWN_CPU - own_from )) "${foreign}" "${secs}")"
    broker_line "${broker}" ran "${detail}" "${other}" "$(ticks_as_cores "${broker_ticks}" "${secs}")" "${secs}"
    say "${broker} done in $(duration ${secs}); other processes used ${other} cores"
}

for broker in ${BROKERS}
do
    leg "${broker}"
done
echo "${FOREIGN_TICKS}" > "${LOGS}/foreign-ticks"
rm -f "${TIMES_FILE}"
say "wrote ${RESULT}"
