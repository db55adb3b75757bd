#!/usr/bin/python3
"""Publisher confirms with BlockingConnection: confirmed publishes return, an unroutable mandatory one raises."""
import pika
import pika.exceptions

from interop_common import check, run, unique


def scenario(connection):
    channel = connection.channel()
    queue = unique("confirms")
    channel.queue_declare(queue, exclusive=True)
    channel.confirm_delivery()
    for i in range(20):
        # In confirm mode basic_publish waits for basic.ack; a nack would raise NackError.
        channel.basic_publish("", queue, b"message %d" % i)
    check(channel.queue_declare(queue, passive=True).method.message_count == 20, "20 confirmed messages are in the queue")

    # Mandatory and unroutable: RabbitMQ sends basic.return (312 NO_ROUTE) then basic.ack.
    try:
        channel.basic_publish("amq.direct", unique("nobody-bound"), b"lost", mandatory=True)
    except pika.exceptions.UnroutableError as unroutable:
        returned = unroutable.messages
        check(len(returned) == 1 and returned[0].body == b"lost", "the returned message is the one published")
        check(returned[0].method.reply_code == 312 and returned[0].method.reply_text == "NO_ROUTE",
              "basic.return says 312 NO_ROUTE, got %s %s" % (returned[0].method.reply_code, returned[0].method.reply_text))
    else:
        raise AssertionError("an unroutable mandatory publish did not raise UnroutableError")

    # The channel is still usable after the return.
    channel.basic_publish("", queue, b"after the return")
    check(channel.queue_declare(queue, passive=True).method.message_count == 21, "the channel still publishes")


if __name__ == "__main__":
    run("publisher-confirms-and-mandatory-return", scenario)
