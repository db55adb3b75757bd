#!/usr/bin/python3
"""basic.nack with requeue: the message comes back first, flagged redelivered; reject without requeue drops it."""
from interop_common import check, consume_one, run, unique


def scenario(connection):
    channel = connection.channel()
    queue = unique("nack")
    channel.queue_declare(queue, exclusive=True)
    channel.confirm_delivery()
    channel.basic_publish("", queue, b"first")
    channel.basic_publish("", queue, b"second")

    method, _, body = channel.basic_get(queue, auto_ack=False)
    check(body == b"first" and not method.redelivered, "first get is the first message, not redelivered")
    channel.basic_nack(method.delivery_tag, requeue=True)

    method, _, body = consume_one(channel, queue)
    check(body == b"first" and method.redelivered,
          "after nack(requeue) got %r redelivered=%s, want b'first' redelivered=True" % (body, method.redelivered))
    channel.basic_reject(method.delivery_tag, requeue=False)

    method, _, body = consume_one(channel, queue)
    check(body == b"second" and not method.redelivered, "a rejected message is gone; next is b'second'")
    channel.basic_ack(method.delivery_tag)
    channel.cancel()


if __name__ == "__main__":
    run("nack-requeue-redelivered", scenario)
