#!/usr/bin/python3
"""basic.consume with manual acks: deliveries in order, tags counting from 1, nothing left after the acks."""
from interop_common import check, consume_one, run, unique


def scenario(connection):
    channel = connection.channel()
    queue = unique("consume")
    channel.queue_declare(queue, exclusive=True)
    channel.confirm_delivery()
    bodies = [b"one", b"two", b"three"]
    for body in bodies:
        channel.basic_publish("", queue, body)
    for tag, body in enumerate(bodies, start=1):
        method, _, got = consume_one(channel, queue)
        check(got == body, "delivery %d is %r, want %r" % (tag, got, body))
        check(method.delivery_tag == tag and not method.redelivered,
              "delivery tag %d redelivered=%s, want %d and a first delivery" % (method.delivery_tag, method.redelivered, tag))
        channel.basic_ack(method.delivery_tag)
    channel.cancel()
    check(channel.queue_declare(queue, passive=True).method.message_count == 0, "every message acked")


if __name__ == "__main__":
    run("consume-manual-ack", scenario)
