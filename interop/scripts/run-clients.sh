#!/usr/bin/env bash
# Runs the non-Java interop clients against one broker: interop/scripts/run-clients.sh AMQP_URI
#
# Builds the Go programs (GOPATH mode, offline, Debian's packages under /usr/share/gocode) and
# runs, each under a timeout: the classic hello example (amqp091-go), the scenario set compiled
# against github.com/streadway/amqp and against github.com/rabbitmq/amqp091-go, and every pika
# script in interop/python with /usr/bin/python3. Prints PASS/FAIL per scenario, then a count.
#
# Settings (environment, optional):
#   RINGMQ_CLIENT_TIMEOUT   seconds each program may run, default 60
#   RINGMQ_CLIENT_LOGS      directory of the programs' logs, default interop/target/clients
#                           (against-ringmq.sh and against-rabbitmq.sh give each broker its own)
#
# Exit codes: 0 every scenario passed; 1 any failed, timed out or did not build, or a Debian
# package they need is missing (packages.sh says which); 2 usage.
set -uo pipefail

if [[ $# -ne 1 ]]
then
    echo "usage: $0 AMQP_URI   (e.g. amqp://guest:guest@127.0.0.1:5674/)" >&2
    exit 2
fi
URI="$1"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TIMEOUT="${RINGMQ_CLIENT_TIMEOUT:-60}"
BIN="${ROOT}/interop/target/clients/bin"
OUT="${RINGMQ_CLIENT_LOGS:-${ROOT}/interop/target/clients}"
mkdir -p "${BIN}" "${OUT}"

# A missing Go or pika is one clear message, not a FAIL per program.
"${ROOT}/interop/scripts/packages.sh" require clients || exit 1

export GO111MODULE=off GOFLAGS=
export GOCACHE="${GOCACHE:-${ROOT}/interop/target/go-cache}"
export PYTHONDONTWRITEBYTECODE=1
GO_ROOT="${ROOT}/interop/go"

passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# Runs a program under the timeout and relays its PASS/FAIL lines; a program that fails without
# saying which scenario (a crash, a timeout) is one FAIL under its own name.
run_program()
{
    local name="$1"
    shift
    local log="${OUT}/${name}.log"
    timeout --kill-after=5 "${TIMEOUT}" "$@" > "${log}" 2>&1
    local rc=$?
    local line said_fail=0
    while IFS= read -r line
    do
        case "${line}" in
            "PASS "*) pass "${line#PASS }" ;;
            "FAIL "*) fail "${line#FAIL }"; said_fail=1 ;;
        esac
    done < "${log}"
    if [[ ${rc} -eq 124 || ${rc} -eq 137 ]]
    then
        fail "${name}: no exit within ${TIMEOUT}s (log: ${log})"
    elif [[ ${rc} -ne 0 && ${said_fail} -eq 0 ]]
    then
        fail "${name}: exit ${rc} (log: ${log})"
        tail -n 20 "${log}" | sed 's/^/    /'
    fi
    return 0
}

# Go: the hello example, and the scenarios once per library (its GOPATH root goes first).
if GOPATH="${GO_ROOT}:/usr/share/gocode" go build -o "${BIN}/hello" ringmq.io/example/hello 2> "${OUT}/build-hello.log"
then
    log="${OUT}/go-hello.log"
    AMQP_URL="${URI}" timeout --kill-after=5 "${TIMEOUT}" "${BIN}/hello" > "${log}" 2>&1
    rc=$?
    if [[ ${rc} -eq 0 ]] && grep -q "received: Hello World!" "${log}"
    then
        pass "go github.com/rabbitmq/amqp091-go hello-example"
    else
        fail "go github.com/rabbitmq/amqp091-go hello-example: exit ${rc} (log: ${log})"
        tail -n 20 "${log}" | sed 's/^/    /'
    fi
else
    fail "go hello-example: does not build"
    sed 's/^/    /' "${OUT}/build-hello.log"
fi

for lib in streadway amqp091
do
    if GOPATH="${GO_ROOT}/lib-${lib}:${GO_ROOT}:/usr/share/gocode" \
       go build -o "${BIN}/scenarios-${lib}" ringmq.io/interop/cmd/scenarios 2> "${OUT}/build-${lib}.log"
    then
        run_program "go-scenarios-${lib}" "${BIN}/scenarios-${lib}" "${URI}"
    else
        fail "go scenarios (${lib}): do not build"
        sed 's/^/    /' "${OUT}/build-${lib}.log"
    fi
done

# Python: every script but the shared module.
for script in "${ROOT}"/interop/python/*.py
do
    name="$(basename "${script}" .py)"
    [[ "${name}" == interop_common ]] && continue
    run_program "pika-${name}" /usr/bin/python3 "${script}" "${URI}"
done

echo "clients: ${passed} passed, ${failed} failed"
[[ ${failed} -eq 0 && ${passed} -gt 0 ]]
