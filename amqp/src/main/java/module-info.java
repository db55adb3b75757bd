/**
 * RingMQ's AMQP 0-9-1 listener. Only {@code io.ringmq.amqp} is to be API; the wire codec in
 * {@code io.ringmq.amqp.codec} is internal and is never exported.
 */
module io.ringmq.amqp {
    requires io.ringmq.engine;
    requires io.netty.buffer;
    requires io.netty.transport;
    // Netty 4.2 ships this module (ByteToMessageDecoder) in the artifact netty-codec-base.
    requires io.netty.codec;
    requires io.netty.handler;

    // exports io.ringmq.amqp;
    // To be enabled with the first type of that package (AmqpServer): javac refuses to export a
    // package that holds only its package-info.java ("package is empty or does not exist").
}
