#!/usr/bin/python3
"""basic.get: get-ok's message_count is what remains; an empty queue answers get-empty."""
from interop_common import check, run, unique


def scenario(connection):
    channel = connection.channel()
    queue = unique("get")
    channel.queue_declare(queue, exclusive=True)
    channel.confirm_delivery()
    for body in (b"a", b"b", b"c"):
        channel.basic_publish("", queue, body)
    for body, remaining in ((b"a", 2), (b"b", 1), (b"c", 0)):
        method, _, got = channel.basic_get(queue, auto_ack=False)
        check(method is not None, "get-ok for %r" % body)
        check(got == body and method.message_count == remaining,
              "got %r with message_count %d, want %r with %d" % (got, method.message_count, body, remaining))
        channel.basic_ack(method.delivery_tag)
    method, _, _ = channel.basic_get(queue, auto_ack=False)
    check(method is None, "basic.get on an empty queue is get-empty")


if __name__ == "__main__":
    run("basic-get", scenario)
