#!/usr/bin/env bash
# Side-by-side benchmarks: build, run JMH, write docs/bench/RESULTS.md and charts.
#
#   bench/scripts/run.sh [quick|full]
#
# quick  1 fork, 1×2 s warmup, 3×2 s measurement (latency 2×3 s): ~5 minutes on 2 cores.
#        RabbitMQ is skipped unless RINGMQ_BENCH_RABBIT=1 (then it is started and stopped here).
#        RINGMQ_BENCH_RABBIT=only runs just the RabbitMQ throughput benchmarks (quick settings) into
#        results-quick-rabbitmq.json and regenerates the quick report with them.
# full   2 forks, 3×5 s warmup, 5×5 s measurement (latency 5×10 s), RabbitMQ started and stopped
#        here (RINGMQ_BENCH_RABBIT=0 skips it): roughly an hour.
#
# Other settings: RINGMQ_BENCH_SKIP_BUILD=1 reuses bench/target/benchmarks.jar;
# RINGMQ_BENCH_WAIT_QUIET=SECONDS waits up to that long for the 1-minute load average to drop below 0.5
# (on a shared 2-core machine another build or test run distorts every number);
# RINGMQ_BENCH_JMH_ARGS adds JMH options (e.g. "-p contender=disruptor,jctools").
# Outputs (docs/bench/): results-<profile>.json, results-<profile>-latency.json,
# latency-<profile>.jsonl, RESULTS.md, *.png. JMH's console output: bench/target/jmh-<profile>*.log.
set -uo pipefail

PROFILE="${1:-quick}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "${ROOT}"
OUT="docs/bench"
JAR="bench/target/benchmarks.jar"
LOGS="bench/target"
RABBIT_SH="bench/scripts/rabbitmq.sh"
COMMAND="bench/scripts/run.sh ${PROFILE}$( [[ -n "${RINGMQ_BENCH_RABBIT:-}" ]] && echo " (RINGMQ_BENCH_RABBIT=${RINGMQ_BENCH_RABBIT})")"
STARTED_AT=${SECONDS}

case "${PROFILE}" in
    quick)
        THROUGHPUT_OPTS=(-f 1 -wi 1 -w 2s -i 3 -r 2s)
        LATENCY_OPTS=(-f 1 -wi 1 -w 2s -i 2 -r 3s)
        RATES="100000,1000000"
        RABBIT="${RINGMQ_BENCH_RABBIT:-0}"
        ;;
    full)
        THROUGHPUT_OPTS=(-f 2 -wi 3 -w 5s -i 5 -r 5s)
        LATENCY_OPTS=(-f 2 -wi 2 -w 5s -i 5 -r 10s)
        RATES="100000,1000000"
        RABBIT="${RINGMQ_BENCH_RABBIT:-1}"
        ;;
    *)
        echo "usage: $0 [quick|full]" >&2
        exit 2
        ;;
esac

say() { echo "run.sh: $*" >&2; }

load() { cut -d' ' -f1-3 /proc/loadavg; }

# --- RabbitMQ: started here only if asked, stopped here only if we started it -----------------------
WE_STARTED_RABBIT=0
cleanup()
{
    if [[ ${WE_STARTED_RABBIT} -eq 1 ]]
    then
        "${RABBIT_SH}" stop || true
        WE_STARTED_RABBIT=0
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build ---------------------------------------------------------------------------------------------
if [[ "${RINGMQ_BENCH_SKIP_BUILD:-0}" != "1" ]]
then
    say "building (mvn -q -pl bench -am package -Dmaven.test.skip=true)"
    # maven.test.skip rather than skipTests: other modules' tests need not even compile to benchmark.
    if ! mvn -q -pl bench -am package -Dmaven.test.skip=true
    then
        say "build failed; nothing was run"
        exit 1
    fi
fi
if [[ ! -f "${JAR}" ]]
then
    say "${JAR} is missing; build first"
    exit 1
fi
mkdir -p "${OUT}" "${LOGS}"

# --- which contenders -------------------------------------------------------------------------------------
RABBIT_OK=0
if [[ "${RABBIT}" == "1" || "${RABBIT}" == "only" ]]
then
    if "${RABBIT_SH}" status 2>/dev/null
    then
        RABBIT_OK=1
    elif "${RABBIT_SH}" start
    then
        WE_STARTED_RABBIT=1
        RABBIT_OK=1
    else
        say "RabbitMQ could not be started (see above): running the other contenders without it"
    fi
fi
if [[ "${RABBIT}" == "only" ]]
then
    if [[ ${RABBIT_OK} -ne 1 ]]
    then
        say "RINGMQ_BENCH_RABBIT=only but there is no broker: nothing to run"
        exit 1
    fi
    CONTENDERS="rabbitmq"
    SUFFIX="-rabbitmq"
elif [[ ${RABBIT_OK} -eq 1 ]]
then
    CONTENDERS="$(java -cp "${JAR}" io.ringmq.bench.contenders.Contenders)"
    SUFFIX=""
    rm -f "${OUT}/results-${PROFILE}-rabbitmq.json"   # superseded by this run
else
    CONTENDERS="$(java -cp "${JAR}" io.ringmq.bench.contenders.Contenders --without rabbitmq)"
    SUFFIX=""
fi

if [[ "${RINGMQ_BENCH_WAIT_QUIET:-0}" -gt 0 ]]
then
    QUIET_DEADLINE=$((SECONDS + RINGMQ_BENCH_WAIT_QUIET))
    while awk -v l="$(load | cut -d' ' -f1)" 'BEGIN { exit !(l >= 0.5) }' && (( SECONDS < QUIET_DEADLINE ))
    do
        say "waiting for a quiet machine: load $(load)"
        sleep 15
    done
fi
LOAD_BEFORE="$(load)"
say "profile ${PROFILE}; contenders ${CONTENDERS}; load average before: ${LOAD_BEFORE}"
if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN { exit !(l > 0.5) }'
then
    say "WARNING: the machine is busy (load ${LOAD_BEFORE%% *}); results will be disturbed"
fi

# --- throughput ------------------------------------------------------------------------------------------------
# Extra JMH options, word-split on purpose.
read -r -a EXTRA <<< "${RINGMQ_BENCH_JMH_ARGS:-}"
java -jar "${JAR}" 'io\.ringmq\.bench\.throughput\..*' \
    -p contender="${CONTENDERS}" "${THROUGHPUT_OPTS[@]}" -prof gc -foe false \
    -rf json -rff "${OUT}/results-${PROFILE}${SUFFIX}.json" "${EXTRA[@]}" \
    2>&1 | tee "${LOGS}/jmh-${PROFILE}${SUFFIX}.log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || say "JMH reported a failure in the throughput run (see ${LOGS}/jmh-${PROFILE}${SUFFIX}.log)"

# --- latency (in-JVM and Artemis; RabbitMQ is not in its contender list) ------------------------------
if [[ "${RABBIT}" != "only" ]]
then
    LATENCY_OUT="${OUT}/latency-${PROFILE}.jsonl"
    rm -f "${LATENCY_OUT}"
    java -jar "${JAR}" 'io\.ringmq\.bench\.latency\..*' \
        -p rate="${RATES}" "${LATENCY_OPTS[@]}" -prof gc -foe false \
        -jvmArgsAppend "-Dringmq.bench.latency.out=${ROOT}/${LATENCY_OUT}" \
        -rf json -rff "${OUT}/results-${PROFILE}-latency.json" "${EXTRA[@]}" \
        2>&1 | tee "${LOGS}/jmh-${PROFILE}-latency.log"
    [[ ${PIPESTATUS[0]} -eq 0 ]] || say "JMH reported a failure in the latency run (see ${LOGS}/jmh-${PROFILE}-latency.log)"
fi

cleanup

# --- report -------------------------------------------------------------------------------------------------------
shopt -s nullglob
RESULTS=("${OUT}"/results-"${PROFILE}"*.json)
java -cp "${JAR}" io.ringmq.bench.report.ReportMain \
    --out "${OUT}" --profile "${PROFILE}" --command "${COMMAND}" \
    --note "load average (1/5/15 min) before the run: ${LOAD_BEFORE}; after: $(load). Anything above ~0.1 before means other processes shared the cores." \
    --latency "${OUT}/latency-${PROFILE}.jsonl" \
    "${RESULTS[@]}"
say "done in $(( (SECONDS - STARTED_AT) / 60 )) min $(( (SECONDS - STARTED_AT) % 60 )) s: ${OUT}/RESULTS.md"
