#!/usr/bin/env bash
# Benchmarks: build, run every JMH stage, write docs/bench/RESULTS.md (with its Targets) and charts.
#
#   bench/scripts/run.sh [quick|full]
#
# Stages, in this order, each its own JMH invocation, always with -prof gc:
#   throughput  second view: the @Group harness, 4 shapes ×     -> results-<profile>.json
#               every contender, all on JMH threads
#   peers       the pipeline harness: every peer at its best, as  -> results-<profile>-peers.json
#               its users run it (consumers on their own threads), 4 shapes; the Targets' throughput ratios
#               come from here. 43 configurations (Disruptor × 3 wait strategies, JCTools, Agrona, ABQ, Artemis,
#               RingMQ × {auto, manual} × {publish, publishBatch}; Agrona sits out 1P2C) × 3 forks.
#               quick: -f 3 -wi 2 -w 1s -i 1 -r 1s: 129 forks of about 5-6 s each on a quiet machine (JVM start
#               and setup ~2 s, 3 s of iterations, an invocation that overruns its iteration, teardown)
#               ≈ 11-13 minutes; one measurement iteration per fork, the spread comes from the 3 forks. Two
#               warm-up iterations, not one: with one, a RingMQ fanout fork could still be growing its four
#               queues' rings to their working size inside the measured iteration (1.4 MB once, read by -prof gc
#               as 0.13 B/msg), which is start-up cost, not the steady state the zero-allocation target is about. On a
#               machine shared with other builds a fork took ~7 s for 1 s of iterations: count ~20 minutes there.
#               full: -f 3 -wi 3 -w 2s -i 4 -r 2s, about 17 s per fork: ≈ 37 minutes; then RingMQ's auto and
#               manual peers again with wait=BLOCKING (4 shapes × 2 × 3 forks ≈ 7 minutes) into
#               results-full-peers-ringmq-blocking.json, since which wait strategy is best on 2 cores depends on
#               how busy they are; the Targets take RingMQ's best configuration of either file.
#   latency     paced 1P1C, coordinated-omission corrected      -> results-<profile>-latency.json, latency-<profile>.jsonl
#   latency-pipeline  the same, each peer's consumer on its own  -> results-<profile>-latency-pipeline.json,
#               thread (PipelineLatency; the p99.9 target)          latency-<profile>-pipeline.jsonl
#               quick: 3 forks x (2 x 1 s warmup + 2 x 2 s) x 6 peers x 2 rates, about 6 minutes; full: about 30 minutes
#   engine      RingMqPushThroughput: RingMQ's push consumers   -> results-<profile>-engine.json
#   cost        SingleThreadCost: CPU per delivery on one       -> results-<profile>-cost.json
#               thread, RingMQ and the Disruptor, three shapes (quick: about 2 minutes)
#   routing     RoutingBenchmark route costs + baselines        -> results-<profile>-routing.json
#               and its 100k-bindings declare single shot       -> results-<profile>-routing-declare.json
#   priority    PriorityQueueBenchmark: plain vs priority       -> results-<profile>-priority.json
#   scale       ScaleBenchmark (not JMH): heap per idle queue,  -> scale-<profile>.jsonl
#               100k declares, 10k pooled consumers
#   network     PerfTest against RabbitMQ, Qpid Broker-J and      -> network-<profile>.jsonl
#               RingMQ's AMQP listener (bench/scripts/perftest.sh; not JMH, and not in quick's default stages)
#
# quick  ~25 minutes on 2 cores, build included (~10 of them the peers stage, ~6 latency-pipeline): 1 fork, 1 short warmup and 2-3 short measurement iterations,
#        routing with 10 and 100,000 bindings only. RabbitMQ is skipped unless RINGMQ_BENCH_RABBIT=1 (then
#        it is started and stopped here). RINGMQ_BENCH_RABBIT=only runs just the RabbitMQ throughput
#        benchmarks into results-quick-rabbitmq.json and regenerates the quick report with them.
# full   2 forks (3 for peers), long iterations, every parameter, RabbitMQ started and stopped here
#        (RINGMQ_BENCH_RABBIT=0 skips it), and the network stage: about two and a half hours.
# RINGMQ_BENCH_STAGES=network bench/scripts/run.sh quick   only the network stage (~15 min), merged into the report.
#
# Other settings:
#   RINGMQ_BENCH_SKIP_BUILD=1        reuse bench/target/benchmarks.jar
#   RINGMQ_BENCH_WAIT_QUIET=SECONDS  wait up to that long for the 1-minute load average to drop below 0.5
#                                    (on a shared 2-core machine another build or test run distorts every number)
#   RINGMQ_BENCH_STAGES="a b ..."    run only these stages (default: throughput peers latency latency-pipeline engine cost
#                                    routing priority scale, and network in the full profile); the report still merges every
#                                    results-<profile>*.json and the network-<profile>.jsonl it finds
#   RINGMQ_BENCH_JMH_ARGS            more JMH options for every stage (e.g. "-p contender=disruptor,jctools")
#   RINGMQ_BENCH_OUT=DIR             write results and the report there instead of docs/bench
# JMH's console output: bench/target/jmh-<profile>-<stage>.log.
#
# The report notes, per stage, how much CPU *other* processes used while it ran (all CPUs' busy time from
# /proc/stat, minus this script's own processes and the RabbitMQ node it started): the load average
# cannot say that, since it counts the benchmark's own threads. How: bench/scripts/measure.sh.
set -uo pipefail

PROFILE="${1:-quick}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "${ROOT}"
OUT="${RINGMQ_BENCH_OUT:-docs/bench}"
# The forked JMH JVMs write latency lines by absolute path; RINGMQ_BENCH_OUT may be either.
case "${OUT}" in
    /*) OUT_ABS="${OUT}" ;;
    *) OUT_ABS="${ROOT}/${OUT}" ;;
esac
JAR="bench/target/benchmarks.jar"
LOGS="bench/target"
RABBIT_SH="bench/scripts/rabbitmq.sh"
COMMAND="bench/scripts/run.sh ${PROFILE}$( [[ -n "${RINGMQ_BENCH_RABBIT:-}" ]] && echo " (RINGMQ_BENCH_RABBIT=${RINGMQ_BENCH_RABBIT})")"
STARTED_AT=${SECONDS}

case "${PROFILE}" in
    quick)
        THROUGHPUT_OPTS=(-f 1 -wi 1 -w 2s -i 3 -r 2s)
        PEERS_OPTS=(-f 3 -wi 2 -w 1s -i 1 -r 1s)
        LATENCY_OPTS=(-f 1 -wi 1 -w 2s -i 2 -r 3s)
        # >= 3 forks: the p99.9 target gives its spread over forks.
        PIPELINE_OPTS=(-f 3 -wi 2 -w 1s -i 2 -r 2s)
        ENGINE_OPTS=(-f 1 -wi 1 -w 2s -i 3 -r 2s)
        ROUTING_OPTS=(-f 1 -wi 1 -w 1s -i 2 -r 1s -p bindings=10,100000)
        DECLARE_OPTS=(-f 1 -wi 3 -i 5)
        PRIORITY_OPTS=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
        COST_OPTS=(-f 3 -wi 2 -w 1s -i 2 -r 1s)
        SCALE_OPTS=(--queues 1000,10000,100000 --consumers 10000 --messages 10)
        RATES="100000,1000000"
        RABBIT="${RINGMQ_BENCH_RABBIT:-0}"
        DEFAULT_STAGES="throughput peers latency latency-pipeline engine cost routing priority scale"
        ;;
    full)
        THROUGHPUT_OPTS=(-f 2 -wi 3 -w 5s -i 5 -r 5s)
        PEERS_OPTS=(-f 3 -wi 3 -w 2s -i 4 -r 2s)
        LATENCY_OPTS=(-f 2 -wi 2 -w 5s -i 5 -r 10s)
        PIPELINE_OPTS=(-f 3 -wi 2 -w 3s -i 4 -r 10s)
        ENGINE_OPTS=(-f 2 -wi 3 -w 5s -i 5 -r 5s)
        ROUTING_OPTS=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
        DECLARE_OPTS=(-f 2 -wi 5 -i 10)
        PRIORITY_OPTS=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
        COST_OPTS=(-f 3 -wi 3 -w 1s -i 5 -r 1s)
        SCALE_OPTS=(--queues 1000,10000,100000 --consumers 10000 --messages 100)
        RATES="100000,1000000"
        RABBIT="${RINGMQ_BENCH_RABBIT:-1}"
        DEFAULT_STAGES="throughput peers latency latency-pipeline engine cost routing priority scale network"
        ;;
    *)
        echo "usage: $0 [quick|full]" >&2
        exit 2
        ;;
esac

STAGES=" ${RINGMQ_BENCH_STAGES:-${DEFAULT_STAGES}} "

say() { echo "run.sh: $*" >&2; }

wants() { [[ "${STAGES}" == *" $1 "* ]]; }

# load, duration, cpu_busy, own_cpu (into OWN_CPU, via TIMES_FILE), rabbit_cpu, other_cores.
TIMES_FILE="${LOGS}/.run-times"
source "${ROOT}/bench/scripts/measure.sh"

# --- RabbitMQ: started here only if asked, stopped here only if we started it -----------------------
WE_STARTED_RABBIT=0
stop_rabbit()
{
    if [[ ${WE_STARTED_RABBIT} -eq 1 ]]
    then
        "${RABBIT_SH}" stop || true
        WE_STARTED_RABBIT=0
    fi
}
trap stop_rabbit EXIT
trap 'exit 130' INT TERM

# --- build ---------------------------------------------------------------------------------------------
NOTES=()
if [[ "${RINGMQ_BENCH_SKIP_BUILD:-0}" != "1" ]]
then
    REVISION="$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    DIRTY="$(git status --porcelain -- engine routing 2>/dev/null | wc -l)"
    say "building (mvn -q -pl bench -am package -Dmaven.test.skip=true)"
    # maven.test.skip rather than skipTests: other modules' tests need not even compile to benchmark.
    if mvn -q -pl bench -am package -Dmaven.test.skip=true
    then
        NOTES+=("engine and routing built from the working tree at ${REVISION} (${DIRTY} uncommitted file(s) under engine/ and routing/)")
    else
        # Someone may be half-way through an edit of engine/ or routing/: measure the installed engine
        # rather than nothing, and say so in the report.
        say "the reactor build failed; building bench alone against the ringmq-engine installed in ~/.m2"
        if ! mvn -q -o -pl bench package -Dmaven.test.skip=true
        then
            say "build failed; nothing was run"
            exit 1
        fi
        NOTES+=("the working tree at ${REVISION} did not build: engine and routing are the ringmq-engine/ringmq-routing jars installed in ~/.m2, not the working tree")
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
if wants throughput && [[ "${RABBIT}" == "1" || "${RABBIT}" == "only" ]]
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
        NOTES+=("RabbitMQ was asked for but could not be started: no RabbitMQ rows")
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
    STAGES=" throughput "
elif [[ ${RABBIT_OK} -eq 1 ]]
then
    CONTENDERS="$(java -cp "${JAR}" io.ringmq.bench.contenders.Contenders)"
    SUFFIX=""
else
    CONTENDERS="$(java -cp "${JAR}" io.ringmq.bench.contenders.Contenders --without rabbitmq)"
    SUFFIX=""
fi

WAITED=0
if [[ "${RINGMQ_BENCH_WAIT_QUIET:-0}" -gt 0 ]]
then
    WAIT_FROM=${SECONDS}
    QUIET_DEADLINE=$((SECONDS + RINGMQ_BENCH_WAIT_QUIET))
    while awk -v l="$(load | cut -d' ' -f1)" 'BEGIN { exit !(l >= 0.5) }' && (( SECONDS < QUIET_DEADLINE ))
    do
        say "waiting for a quiet machine: load $(load)"
        sleep 15
    done
    WAITED=$((SECONDS - WAIT_FROM))
fi
LOAD_BEFORE="$(load)"
say "profile ${PROFILE}; stages${STAGES}; contenders ${CONTENDERS}; load average before: ${LOAD_BEFORE}"
if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN { exit !(l > 0.5) }'
then
    say "WARNING: the machine is busy (load ${LOAD_BEFORE%% *}); results will be disturbed"
fi

# Extra JMH options, word-split on purpose.
read -r -a EXTRA <<< "${RINGMQ_BENCH_JMH_ARGS:-}"
STAGE_TIMES=()
STAGE_OTHERS=()

# stage_begin STAGE / stage_end STAGE [FOREIGN_TICKS]: a stage's wall time and the CPU other processes used
# meanwhile. FOREIGN_TICKS: ticks of the stage's own processes that are not children of this shell and that
# rabbit_cpu does not see, such as a RabbitMQ node started and stopped within the stage.
stage_begin()
{
    STAGE_FROM=${SECONDS}
    own_cpu
    STAGE_BUSY_FROM="$(cpu_busy)"; STAGE_OWN_FROM="${OWN_CPU}"; STAGE_RABBIT_FROM="$(rabbit_cpu)"
    say "stage $1: load $(load)"
}
stage_end()
{
    local stage="$1" foreign="${2:-0}"
    local elapsed=$((SECONDS - STAGE_FROM))
    STAGE_TIMES+=("${stage} $(duration ${elapsed})")
    own_cpu
    STAGE_OTHERS+=("${stage} $(other_cores $(( $(cpu_busy) - STAGE_BUSY_FROM )) $(( OWN_CPU - STAGE_OWN_FROM )) \
        $(( $(rabbit_cpu) - STAGE_RABBIT_FROM + foreign )) "${elapsed}")")
}

# run_jmh STAGE RESULT_FILE JMH_ARGS...: one JMH invocation, its console kept in bench/target, its old
# result file removed first so that a failed stage cannot leave a previous run's numbers in the report.
run_jmh()
{
    local stage="$1" result="$2"
    shift 2
    stage_begin "${stage}"
    rm -f "${result}"
    java -jar "${JAR}" "$@" -prof gc -foe false -rf json -rff "${result}" "${EXTRA[@]}" \
        2>&1 | tee "${LOGS}/jmh-${PROFILE}-${stage}.log"
    [[ ${PIPESTATUS[0]} -eq 0 ]] || say "JMH reported a failure in stage ${stage} (see ${LOGS}/jmh-${PROFILE}-${stage}.log)"
    stage_end "${stage}"
}

# --- throughput (side by side) ----------------------------------------------------------------------------
if wants throughput
then
    if [[ -z "${SUFFIX}" ]]
    then
        rm -f "${OUT}/results-${PROFILE}-rabbitmq.json"   # a separate RabbitMQ run is superseded by this one
    fi
    run_jmh "throughput${SUFFIX}" "${OUT}/results-${PROFILE}${SUFFIX}.json" 'io\.ringmq\.bench\.throughput\..*' \
        -p contender="${CONTENDERS}" "${THROUGHPUT_OPTS[@]}"
fi
stop_rabbit   # nothing below uses it: its Erlang VM must not share the cores with the RingMQ-only stages

# --- peers: the pipeline harness, every peer at its best (RabbitMQ is not one of its peers) -------------------
if wants peers
then
    run_jmh peers "${OUT}/results-${PROFILE}-peers.json" 'io\.ringmq\.bench\.pipeline\..*' "${PEERS_OPTS[@]}"
    if [[ "${PROFILE}" == "full" ]]
    then
        run_jmh peers-ringmq-blocking "${OUT}/results-${PROFILE}-peers-ringmq-blocking.json" \
            'io\.ringmq\.bench\.pipeline\..*' -p peer=ringmq-auto,ringmq-manual -p wait=BLOCKING "${PEERS_OPTS[@]}"
    fi
fi

# --- latency (in-JVM and Artemis; RabbitMQ is not in its contender list) ------------------------------
if wants latency
then
    LATENCY_OUT="${OUT}/latency-${PROFILE}.jsonl"
    rm -f "${LATENCY_OUT}"
    run_jmh latency "${OUT}/results-${PROFILE}-latency.json" 'io\.ringmq\.bench\.latency\.PublishToDeliveryLatency\..*' \
        -p rate="${RATES}" "${LATENCY_OPTS[@]}" -jvmArgsAppend "-Dringmq.bench.latency.out=${OUT_ABS}/latency-${PROFILE}.jsonl"
fi

# --- latency, each peer's consumer on its own thread (Disruptor BatchEventProcessor, JCTools, ABQ, RingMQ push) ----
if wants latency-pipeline
then
    PIPELINE_OUT="${OUT}/latency-${PROFILE}-pipeline.jsonl"
    rm -f "${PIPELINE_OUT}"
    run_jmh latency-pipeline "${OUT}/results-${PROFILE}-latency-pipeline.json" \
        'io\.ringmq\.bench\.latency\.PipelineLatency\..*' -p rate="${RATES}" "${PIPELINE_OPTS[@]}" \
        -jvmArgsAppend "-Dringmq.bench.latency.pipeline.out=${OUT_ABS}/latency-${PROFILE}-pipeline.jsonl"
fi

# --- RingMQ alone: push consumers end to end, routing, priority queues --------------------------------------
if wants engine
then
    run_jmh engine "${OUT}/results-${PROFILE}-engine.json" 'io\.ringmq\.bench\.engine\..*' "${ENGINE_OPTS[@]}"
fi
if wants cost
then
    run_jmh cost "${OUT}/results-${PROFILE}-cost.json" 'io\.ringmq\.bench\.cost\..*' "${COST_OPTS[@]}"
fi
if wants routing
then
    # The declare single shot gets its own invocation: its shot counts are not the route benchmarks' iterations.
    run_jmh routing "${OUT}/results-${PROFILE}-routing.json" 'io\.ringmq\.bench\.RoutingBenchmark\..*' \
        -e 'RoutingBenchmark\.declareBindings' "${ROUTING_OPTS[@]}"
    run_jmh routing-declare "${OUT}/results-${PROFILE}-routing-declare.json" \
        'io\.ringmq\.bench\.RoutingBenchmark\.declareBindings' "${DECLARE_OPTS[@]}"
fi
if wants priority
then
    run_jmh priority "${OUT}/results-${PROFILE}-priority.json" 'io\.ringmq\.bench\.PriorityQueueBenchmark\..*' \
        "${PRIORITY_OPTS[@]}"
fi

# --- scale: one JVM with a fixed heap (as the JMH forks have), one JSON line per figure; ScaleSection reports it ---
if wants scale
then
    stage_begin scale
    rm -f "${OUT}/scale-${PROFILE}.jsonl"
    java -Xms2g -Xmx2g -cp "${JAR}" io.ringmq.bench.scale.ScaleBenchmark "${SCALE_OPTS[@]}" \
        --out "${OUT}/scale-${PROFILE}.jsonl" 2>&1 | tee "${LOGS}/scale-${PROFILE}.log"
    [[ ${PIPESTATUS[0]} -eq 0 ]] || say "the scale stage failed (see ${LOGS}/scale-${PROFILE}.log)"
    stage_end scale
fi

# --- network: PerfTest against RabbitMQ, Qpid and RingMQ's listener, each started and stopped in turn ---------------
NETWORK_RESULT="${OUT}/network-${PROFILE}.jsonl"
if wants network
then
    stage_begin network
    rm -f "${NETWORK_RESULT}"
    bench/scripts/perftest.sh "${PROFILE}" "${NETWORK_RESULT}" || say "the network stage failed (see above)"
    # The RabbitMQ node it ran is not our child: perftest.sh counted its CPU for us.
    stage_end network "$(cat "bench/target/perftest-${PROFILE}/foreign-ticks" 2>/dev/null || echo 0)"
fi

# --- report -------------------------------------------------------------------------------------------------------
shopt -s nullglob
RESULTS=("${OUT}"/results-"${PROFILE}"*.json)
ELAPSED=$((SECONDS - STARTED_AT))
NOTE_ARGS=()
for note in "${NOTES[@]}"
do
    NOTE_ARGS+=(--note "${note}")
done
java -cp "${JAR}" io.ringmq.bench.report.ReportMain \
    --out "${OUT}" --profile "${PROFILE}" --command "${COMMAND}" \
    --note "load average (1/5/15 min) before the run: ${LOAD_BEFORE}; after: $(load) (after counts this run's own threads). Anything above ~0.1 before means other processes shared the cores." \
    --note "CPU used by other processes while each stage ran, in cores of $(nproc) (/proc/stat busy time minus this run's JMH and PerfTest processes and the brokers it started; above ~0.1 the stage was disturbed): $(IFS=','; echo "${STAGE_OTHERS[*]}" | sed 's/,/, /g')." \
    --note "wall time $(duration ${ELAPSED}) (build and $(duration ${WAITED}) waiting for a quiet machine included); stages: $(IFS=','; echo "${STAGE_TIMES[*]}" | sed 's/,/, /g')." \
    "${NOTE_ARGS[@]}" \
    --latency "${OUT}/latency-${PROFILE}.jsonl" \
    --latency-pipeline "${OUT}/latency-${PROFILE}-pipeline.jsonl" \
    --network "${NETWORK_RESULT}" \
    "${RESULTS[@]}"
rm -f "${TIMES_FILE}"
say "done in $(duration $((SECONDS - STARTED_AT))): ${OUT}/RESULTS.md"
