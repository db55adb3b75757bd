#!/usr/bin/python3
"""RPC over direct reply-to: consume amq.rabbitmq.reply-to (no-ack) first, then publish with reply_to set."""
import time

import pika

from interop_common import WAIT_SECONDS, check, connect, run, unique

DIRECT_REPLY_TO = "amq.rabbitmq.reply-to"


def scenario(connection):
    client = connection.channel()
    requests = unique("rpc")
    client.queue_declare(requests, auto_delete=False, exclusive=False)
    replies = []
    client.basic_consume(DIRECT_REPLY_TO, lambda ch, method, props, body: replies.append((props, body)), auto_ack=True)
    client.basic_publish("", requests, b"21",
                         pika.BasicProperties(reply_to=DIRECT_REPLY_TO, correlation_id="req-1"))

    server_connection = connect()
    try:
        server = server_connection.channel()
        method, properties, body = None, None, None
        for method, properties, body in server.consume(requests, inactivity_timeout=WAIT_SECONDS):
            break
        check(method is not None, "the server got no request within %ss" % WAIT_SECONDS)
        check(properties.reply_to.startswith(DIRECT_REPLY_TO + "."),
              "the server sees a generated reply-to name, got %r" % properties.reply_to)
        server.basic_publish("", properties.reply_to, str(int(body) * 2).encode(),
                             pika.BasicProperties(correlation_id=properties.correlation_id))
        server.basic_ack(method.delivery_tag)
        server.cancel()
    finally:
        server_connection.close()

    deadline = time.monotonic() + WAIT_SECONDS
    while not replies and time.monotonic() < deadline:
        connection.process_data_events(time_limit=0.1)
    check(len(replies) == 1, "one reply over direct reply-to, got %d" % len(replies))
    props, body = replies[0]
    check(body == b"42" and props.correlation_id == "req-1", "reply %r with correlation id %r" % (body, props.correlation_id))
    client.queue_delete(requests)


if __name__ == "__main__":
    run("direct-reply-to-rpc", scenario)
