#!/usr/bin/env bash
# The Debian packages the interop scripts and the browser test need:
#   interop/scripts/packages.sh {require|missing|install} [clients] [rabbitmq] [browser]
#
#   clients    the Go and pika programs of run-clients.sh: golang, golang-github-streadway-amqp-dev,
#              golang-github-rabbitmq-amqp091-go-dev, python3-pika
#   rabbitmq   the private node of bench/scripts/rabbitmq.sh, and the rabbitmqadmin CLI that amqp's
#              RabbitmqAdminTest points at RingMQ's management API: rabbitmq-server
#   browser    the live page's test in a real browser (amqp's LivePageBrowserTest): chromium, chromium-driver
#   (none)     all three
#
#   require    exits 1, saying what to install (or which Maven property skips the run), when one is missing
#   missing    prints the missing packages, one a line
#   install    apt-get update once, then apt-get install -y the missing ones (sudo when not root); the
#              system RabbitMQ service it would start is forbidden with a policy-rc.d, as in rabbitmq.sh
#
# Each package counts as present when what the scripts use from it is there (the go command, the
# Go sources under /usr/share/gocode, pika for /usr/bin/python3, /usr/lib/rabbitmq/bin, /usr/bin/chromium
# and /usr/bin/chromedriver), so a
# machine that has them some other way is not made to install them again.
#
# Exit codes: 0 ok; 1 a package is missing (require) or could not be installed (install); 2 usage.
set -uo pipefail

say() { echo "packages.sh: $*" >&2; }

present()
{
    case "$1" in
        golang) command -v go >/dev/null 2>&1 ;;
        golang-github-streadway-amqp-dev) [[ -d /usr/share/gocode/src/github.com/streadway/amqp ]] ;;
        golang-github-rabbitmq-amqp091-go-dev) [[ -d /usr/share/gocode/src/github.com/rabbitmq/amqp091-go ]] ;;
        python3-pika) [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import pika' >/dev/null 2>&1 ;;
        rabbitmq-server) [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] ;;
        chromium) [[ -x /usr/bin/chromium ]] ;;
        chromium-driver) [[ -x /usr/bin/chromedriver ]] ;;
        *) return 1 ;;
    esac
}

action="${1:-}"
shift || true
groups=("$@")
[[ ${#groups[@]} -eq 0 ]] && groups=(clients rabbitmq browser)
wanted=()
for group in "${groups[@]}"
do
    case "${group}" in
        clients) wanted+=(golang golang-github-streadway-amqp-dev golang-github-rabbitmq-amqp091-go-dev python3-pika) ;;
        rabbitmq) wanted+=(rabbitmq-server) ;;
        browser) wanted+=(chromium chromium-driver) ;;
        *) echo "usage: $0 {require|missing|install} [clients] [rabbitmq] [browser]" >&2; exit 2 ;;
    esac
done

missing=()
for package in "${wanted[@]}"
do
    present "${package}" || missing+=("${package}")
done

as_root()
{
    if [[ "$(id -u)" == "0" ]]
    then
        "$@"
    elif command -v sudo >/dev/null 2>&1
    then
        sudo "$@"
    else
        say "not root and no sudo: cannot run $*"
        return 1
    fi
}

install_missing()
{
    [[ ${#missing[@]} -eq 0 ]] && return 0
    say "installing ${missing[*]} with apt-get"
    # rabbitmq-server's postinst would start the system service (port 5672, epmd 4369); policy-rc.d
    # exit 101 ("action forbidden") stops that. Removed again only if we created it.
    local policy_created=0 rc=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]
    then
        as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d' \
            && policy_created=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || rc=$?
    if [[ ${rc} -eq 0 ]]
    then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
    fi
    [[ ${policy_created} -eq 1 ]] && as_root rm -f /usr/sbin/policy-rc.d
    if [[ ${rc} -ne 0 ]]
    then
        say "apt-get failed (exit ${rc})"
        return 1
    fi
    local still=()
    for package in "${missing[@]}"
    do
        present "${package}" || still+=("${package}")
    done
    if [[ ${#still[@]} -gt 0 ]]
    then
        say "installed, yet still missing: ${still[*]}"
        return 1
    fi
}

case "${action}" in
    missing)
        [[ ${#missing[@]} -gt 0 ]] && printf '%s\n' "${missing[@]}"
        exit 0
        ;;
    require)
        [[ ${#missing[@]} -eq 0 ]] && exit 0
        say "missing Debian packages: ${missing[*]}"
        say "install them:  apt-get install -y ${missing[*]}   (as root; or run interop/scripts/packages.sh install)"
        # The RabbitMQ run needs the clients too; the run against RingMQ needs no rabbitmq-server.
        skip="-Dringmq.interop.rabbitmq.skip=true"
        [[ " ${missing[*]} " == *" rabbitmq-server "* && ${#missing[@]} -eq 1 ]] \
            || skip="-Dringmq.interop.clients.skip=true ${skip}"
        say "or skip the runs that need them:  mvn -B verify ${skip}"
        exit 1
        ;;
    install)
        install_missing
        ;;
    *)
        echo "usage: $0 {require|missing|install} [clients] [rabbitmq]" >&2
        exit 2
        ;;
esac
