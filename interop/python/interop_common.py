"""What every pika interop script shares: the broker URL, a hard time bound, PASS/FAIL and exit codes.

Each script is run as `/usr/bin/python3 SCRIPT.py [AMQP_URL]`; without an argument it reads AMQP_URL,
else RabbitMQ's default. It prints `PASS pika <name>` or `FAIL pika <name>: <why>` and exits 0 or 1.
"""
import os
import signal
import sys
import traceback
import uuid

import pika

# Bounds each wait for the broker; the whole script gets ALARM_SECONDS before it is stopped.
WAIT_SECONDS = 10
ALARM_SECONDS = 45


class ScenarioFailed(Exception):
    """The broker answered, but not the RabbitMQ way."""


def check(condition, message):
    if not condition:
        raise ScenarioFailed(message)


def broker_url():
    if len(sys.argv) > 1:
        return sys.argv[1]
    return os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")


def connect():
    params = pika.URLParameters(broker_url())
    params.socket_timeout = WAIT_SECONDS
    params.blocked_connection_timeout = WAIT_SECONDS
    params.connection_attempts = 1
    return pika.BlockingConnection(params)


def unique(role):
    return "interop.pika.%s.%s" % (role, uuid.uuid4().hex[:8])


def consume_one(channel, queue, auto_ack=False):
    """Waits (bounded) for the next delivery of a consumer on `queue`; returns (method, properties, body)."""
    for method, properties, body in channel.consume(queue, auto_ack=auto_ack, inactivity_timeout=WAIT_SECONDS):
        check(method is not None, "no delivery from %s within %ss" % (queue, WAIT_SECONDS))
        return method, properties, body
    raise ScenarioFailed("the consumer on %s was cancelled" % queue)


def run(name, scenario):
    """Runs scenario(connection) once under the time bound and exits with its verdict."""
    def timed_out(signum, frame):
        print("FAIL pika %s: did not finish within %ss" % (name, ALARM_SECONDS), flush=True)
        os._exit(1)

    signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(ALARM_SECONDS)
    try:
        connection = connect()
        try:
            scenario(connection)
        finally:
            if connection.is_open:
                connection.close()
    except ScenarioFailed as failure:
        print("FAIL pika %s: %s" % (name, failure), flush=True)
        sys.exit(1)
    except Exception as error:  # a client or broker error is a failure of the scenario, with its trace
        traceback.print_exc()
        print("FAIL pika %s: %r" % (name, error), flush=True)
        sys.exit(1)
    print("PASS pika %s" % name, flush=True)
    sys.exit(0)
