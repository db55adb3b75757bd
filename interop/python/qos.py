#!/usr/bin/python3
"""basic.qos prefetch_count: a consumer holds at most that many unacked deliveries; an ack lets the next one in."""
from interop_common import check, run, unique


def scenario(connection):
    channel = connection.channel()
    queue = unique("qos")
    channel.queue_declare(queue, exclusive=True)
    channel.confirm_delivery()
    for i in range(5):
        channel.basic_publish("", queue, b"%d" % i)
    channel.basic_qos(prefetch_count=2)

    delivered = []
    channel.basic_consume(queue, lambda ch, method, props, body: delivered.append((method, body)), auto_ack=False)
    connection.process_data_events(time_limit=1.0)
    check(len(delivered) == 2, "prefetch 2 lets 2 unacked deliveries in, got %d" % len(delivered))
    check(channel.queue_declare(queue, passive=True).method.message_count == 3, "3 messages still ready")

    channel.basic_ack(delivered[0][0].delivery_tag)
    connection.process_data_events(time_limit=1.0)
    check(len(delivered) == 3 and delivered[2][1] == b"2", "one ack lets exactly the next one in, got %d" % len(delivered))
    channel.basic_ack(delivered[2][0].delivery_tag, multiple=True)
    connection.process_data_events(time_limit=1.0)
    check(len(delivered) == 5, "a multiple ack frees both slots, got %d" % len(delivered))


if __name__ == "__main__":
    run("qos-prefetch", scenario)
