# Sourced by run.sh and perftest.sh: how the runners measure time and CPU. Not a command of its own.
#
# The CPU other processes used while a stage ran is all CPUs' busy time from /proc/stat minus the stage's own
# processes: the load average cannot say that, since it counts the benchmark's own threads.

CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# The 1/5/15-minute load averages.
load() { cut -d' ' -f1-3 /proc/loadavg; }

# "4 min 12 s" for a number of seconds.
duration() { echo "$(( $1 / 60 )) min $(( $1 % 60 )) s"; }

# Clock ticks all CPUs have spent busy (user, nice, system, irq, softirq) since boot.
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# OWN_CPU := clock ticks used by this shell's finished children: each JMH or PerfTest run and each broker JVM
# this shell started, once it has exited and been waited for. `times` must run in this shell, not in a $(...)
# subshell, whose children are not ours. Needs TIMES_FILE, a scratch file.
own_cpu()
{
    times > "${TIMES_FILE}"
    OWN_CPU="$(awk -v hz="${CLK_TCK}" 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] } printf "%d\n", n * hz }' "${TIMES_FILE}")"
}

# Clock ticks (user + system) used so far by every live process in the process group of PID; 0 if PID is gone.
# /proc/PID/stat's second field, the command name, may hold spaces: fields are counted after its ')'.
group_ticks()
{
    local pgid
    pgid="$(awk '{ sub(/^.*\) /, ""); print $3 }' "/proc/$1/stat" 2>/dev/null)"
    if [[ -z "${pgid}" ]]
    then
        echo 0
        return
    fi
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="${pgid}" '{ sub(/^.*\) /, ""); if ($3 == g) n += $12 + $13 } END { print n + 0 }'
}

# Clock ticks used by the RabbitMQ node bench/scripts/rabbitmq.sh runs, when there is one. It is not a child of
# the runners (it outlives rabbitmq.sh), so `times` never counts it.
rabbit_cpu()
{
    local pid_file="${RINGMQ_RABBIT_DIR:-${TMPDIR:-/tmp}/ringmq-bench-rabbitmq}/rabbitmq.pid"
    if [[ -f "${pid_file}" ]]
    then
        group_ticks "$(cat "${pid_file}")"
    else
        echo 0
    fi
}

# cores BUSY_TICKS OWN_TICKS FOREIGN_TICKS SECONDS: what other processes used, in cores ("0.03").
other_cores()
{
    awk -v busy="$1" -v own="$2" -v foreign="$3" -v secs="$4" -v hz="${CLK_TCK}" \
        'BEGIN { if (foreign < 0) foreign = 0; o = (busy - own - foreign) / ((secs > 0 ? secs : 1) * hz); printf "%.2f", (o < 0 ? 0 : o) }'
}

# cores TICKS SECONDS: ticks as cores over that time.
ticks_as_cores()
{
    awk -v ticks="$1" -v secs="$2" -v hz="${CLK_TCK}" 'BEGIN { printf "%.2f", ticks / ((secs > 0 ? secs : 1) * hz) }'
}
