/**
 * The AMQP 0-9-1 wire codec, as RabbitMQ speaks it; internal to the listener (not exported).
 * <ul>
 *   <li>{@link io.ringmq.amqp.codec.AmqpProtocol}: the one table of the protocol — frame layout, constants,
 *       every method with its fields, the basic properties, the reply codes.</li>
 *   <li>{@link io.ringmq.amqp.codec.FrameDecoder} cuts a connection's bytes into frames and calls a
 *       {@link io.ringmq.amqp.codec.FrameListener} with read-only views valid during the call.</li>
 *   <li>{@link io.ringmq.amqp.codec.MethodReaders} reads a client's method arguments in place into reused
 *       flyweights ({@code ConnectionMethods}, {@code ChannelMethods}, {@code ExchangeMethods},
 *       {@code QueueMethods}, {@code BasicMethods}); {@link io.ringmq.amqp.codec.PropertiesDecoder} reads content
 *       properties; {@link io.ringmq.amqp.codec.Sasl} reads the SASL response. Bad input raises
 *       {@link io.ringmq.amqp.codec.AmqpProtocolException} with the reply code to answer.</li>
 *   <li>{@link io.ringmq.amqp.codec.MethodWriter} writes every method the server sends;
 *       {@link io.ringmq.amqp.codec.ContentWriter} writes deliver, return and get-ok with their content.</li>
 *   <li>{@link io.ringmq.amqp.codec.FieldTables} and {@link io.ringmq.amqp.codec.ShortStringCache} serve both.</li>
 * </ul>
 * Per connection the server keeps one {@code FrameDecoder}, one {@code ShortStringCache}, one
 * {@code MethodReaders} and one {@code ContentWriter}; per channel one {@code PropertiesDecoder}. All of them
 * are used on the connection's event loop thread only.
 *
 * <h2>Handshake</h2>
 * <pre>{@code
 * onProtocolHeader(supported, header):
 *     if (!supported) { MethodWriter.protocolHeader(out); flush; close; return; }
 *     MethodWriter.connectionStart(out, MethodWriter.serverProperties("RingMQ", version, platform, caps),
 *         "PLAIN AMQPLAIN", "en_US");
 * onMethod(0, 10, 11, args):                          // connection.start-ok
 *     StartOk s = readers.connectionStartOk(args);
 *     Sasl.Credentials c = Sasl.parse(s.mechanism(), s.response());   // 502 / 503 on bad input
 *     ... authenticate ...
 *     MethodWriter.connectionTune(out, channelMax, 131072, heartbeat);
 * onMethod(0, 10, 31, args):                          // connection.tune-ok
 *     TuneOk t = readers.connectionTuneOk(args);
 *     decoder.setMaxFrameSize((int) t.frameMax());    // after checking it against the server's limits
 * onMethod(0, 10, 40, args):                          // connection.open
 *     readers.connectionOpen(args).virtualHost(); MethodWriter.connectionOpenOk(out);
 * }</pre>
 *
 * <h2>basic.publish, content header, body</h2>
 * <pre>{@code
 * onMethod(ch, 60, 40, args):
 *     BasicMethods.Publish p = readers.basicPublish(args);   // names from the cache: no allocation
 *     channel.pending(p.exchange(), p.routingKey(), p.mandatory());  // copy the two Strings, not the flyweight
 * onContentHeader(ch, classId, bodySize, props):
 *     // server: classId must be 60 and a publish must be pending (else 505); bodySize within its limit
 *     channel.properties = channel.propertiesDecoder.decode(props);  // same instance while bytes repeat;
 *                                                                    // 406 on a bad expiration: channel.close
 *     channel.body = new byte[(int) bodySize]; channel.filled = 0;   // publish now if bodySize == 0
 * onContentBody(ch, body):
 *     // server: more octets than announced is 501 FRAME_ERROR, as in RabbitMQ
 *     body.getBytes(body.readerIndex(), channel.body, channel.filled, body.readableBytes());
 *     if ((channel.filled += body.readableBytes()) == channel.body.length) publish to the engine
 * catch (AmqpProtocolException e):
 *     e.replyCode().hardError() ? MethodWriter.connectionClose(out, e.replyCode().code(), e.replyText(), e.classId(), e.methodId())
 *                               : MethodWriter.channelClose(out, ch, e.replyCode().code(), e.replyText(), e.classId(), e.methodId());
 * onFrameError(code, text):
 *     MethodWriter.connectionClose(out, code, text, 0, 0); flush; close;
 * }</pre>
 *
 * <h2>basic.deliver</h2>
 * <pre>{@code
 * contentWriter.writeDeliver(out, ch, frameMax, consumerTag, deliveryTag, redelivered,
 *     delivery.exchange(), delivery.routingKey(), delivery.properties(), delivery.body());
 * // the properties octets are copied, not re-encoded, while the same instance repeats
 * }</pre>
 */
package io.ringmq.amqp.codec;
