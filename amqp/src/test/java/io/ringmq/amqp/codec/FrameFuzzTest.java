package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ringmq.MessageProperties;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random frames through {@link FrameDecoder} (inside a Netty pipeline, fed in random-sized reads) and
 * the method and property readers. Each fuzzed connection sends valid frames of every method a client sends
 * and then, by scenario, nothing bad, one bad frame of a known kind, or random damage (bit flips, cuts,
 * overwritten lengths, inserted bytes). It holds that:
 * <ul>
 *   <li>nothing but {@link AmqpProtocolException} escapes the decoder or the readers;</li>
 *   <li>a bad frame of a known kind ends in exactly one error, with the reply code RabbitMQ would send, after
 *       every valid frame before it was decoded unchanged — and the decoder reports nothing after its error;
 *       random damage ends in at most one decoder error;</li>
 *   <li>a second connection fed clean frames in between, read for read, decodes all of them unchanged.</li>
 * </ul>
 * {@code -Dringmq.fuzz.frames=N} sets how many frames a run feeds; every run prints its seed, and
 * {@code -Dringmq.fuzz.seed=S} replays it.
 */
class FrameFuzzTest
{
    private static final List<Method> CLIENT_METHODS = new ArrayList<>();

    static
    {
        for (final Method m : Method.values())
        {
            if (m.sentByClient())
            {
                CLIENT_METHODS.add(m);
            }
        }
    }

    /** What a fuzzed connection sends after its valid frames; each known kind has its reply code. */
    private enum Scenario
    {
        CLEAN(0), RANDOM_DAMAGE(0), BAD_PROTOCOL_HEADER(0),
        // Refused by the decoder:
        BAD_FRAME_END(501), OVERSIZED(501), UNKNOWN_FRAME_TYPE(501), SHORT_METHOD(501), UNKNOWN_METHOD(540),
        SHORT_CONTENT_HEADER(501), WEIGHTED_CONTENT_HEADER(505), HUGE_BODY_SIZE(501), HEARTBEAT_WITH_PAYLOAD(501),
        // Refused by a reader:
        TRUNCATED_ARGUMENTS(501), TRAILING_OCTETS(501), STRING_PAST_END(501), TABLE_PAST_END(501),
        BAD_TABLE_TAG(502), DEEP_NESTING(502), NAME_NOT_UTF8(501), PROPERTIES_CUT_SHORT(501),
        BAD_EXPIRATION(406);

        final int replyCode;

        Scenario(final int replyCode)
        {
            this.replyCode = replyCode;
        }

        boolean decoderError()
        {
            return ordinal() >= BAD_FRAME_END.ordinal() && ordinal() <= HEARTBEAT_WITH_PAYLOAD.ordinal();
        }

        boolean readerError()
        {
            return ordinal() >= TRUNCATED_ARGUMENTS.ordinal();
        }
    }

    /** A 64-bit digest of a frame's type, channel and payload, computed alike when sent and when decoded. */
    private static final class Digest
    {
        long h;

        Digest start(final int type, final int channel)
        {
            h = 0xcbf29ce484222325L ^ (type * 31L + channel);
            return this;
        }

        Digest octet(final int b)
        {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
            return this;
        }

        Digest u16(final int v)
        {
            return octet(v >>> 8).octet(v);
        }

        Digest u64(final long v)
        {
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                octet((int)(v >>> shift));
            }
            return this;
        }

        Digest bytes(final ByteBuf b, final int from, final int to)
        {
            int i = from;
            for (; i + Long.BYTES <= to; i += Long.BYTES)
            {
                h = (h ^ b.getLong(i)) * 0x100000001b3L;
            }
            for (; i < to; i++)
            {
                octet(b.getByte(i));
            }
            return this;
        }
    }

    /** The server side of one connection: reads every frame as the server would and checks what it finds. */
    private static final class Server implements FrameListener
    {
        final ShortStringCache names = new ShortStringCache();
        final MethodReaders readers = new MethodReaders(names);
        final PropertiesDecoder properties = new PropertiesDecoder(names);
        final Digest digest = new Digest();
        /** Digests of the valid frames still to come, in order; null when nothing is known (random damage). */
        final ArrayDeque<Long> expected;
        final String name;
        final List<String> failures;

        Boolean headerSupported;
        int decoderErrors;
        int decoderErrorCode;
        int readerErrors;
        int readerErrorCode;
        int afterDecoderError;
        long frames;

        Server(final String name, final ArrayDeque<Long> expected, final List<String> failures)
        {
            this.name = name;
            this.expected = expected;
            this.failures = failures;
        }

        private boolean ignoring()
        {
            if (decoderErrors > 0)
            {
                afterDecoderError++;
                return true;
            }
            return readerErrors > 0; // the server closes after a reader error; what follows is not its business
        }

        private void check(final long d)
        {
            frames++;
            if (expected != null)
            {
                final Long want = expected.poll();
                if (want == null || want != d)
                {
                    failures.add(name + ": frame " + frames + " decoded differently from what was sent");
                }
            }
        }

        private void readerError(final int code)
        {
            readerErrors++;
            readerErrorCode = code;
        }

        @Override
        public void onProtocolHeader(final boolean supported, final ByteBuf header)
        {
            headerSupported = supported;
        }

        @Override
        public void onMethod(final int channel, final int classId, final int methodId, final ByteBuf arguments)
        {
            if (ignoring())
            {
                return;
            }
            check(digest.start(AmqpProtocol.FRAME_METHOD, channel).u16(classId).u16(methodId)
                .bytes(arguments, arguments.readerIndex(), arguments.writerIndex()).h);
            final Method method = Method.byId(classId, methodId);
            if (!method.sentByClient())
            {
                readerError(AmqpProtocol.ReplyCode.COMMAND_INVALID.code()); // the server refuses it itself
                return;
            }
            try
            {
                ReaderDispatch.read(readers, method, arguments);
            }
            catch (final AmqpProtocolException ex)
            {
                readerError(ex.replyCode().code());
            }
        }

        @Override
        public void onContentHeader(final int channel, final int classId, final long bodySize, final ByteBuf props)
        {
            if (ignoring())
            {
                return;
            }
            check(digest.start(AmqpProtocol.FRAME_HEADER, channel).u16(classId).u16(0).u64(bodySize)
                .bytes(props, props.readerIndex(), props.writerIndex()).h);
            try
            {
                properties.decode(props);
            }
            catch (final AmqpProtocolException ex)
            {
                readerError(ex.replyCode().code());
            }
        }

        @Override
        public void onContentBody(final int channel, final ByteBuf body)
        {
            if (!ignoring())
            {
                check(digest.start(AmqpProtocol.FRAME_BODY, channel).bytes(body, body.readerIndex(), body.writerIndex()).h);
            }
        }

        @Override
        public void onHeartbeat(final int channel)
        {
            if (!ignoring())
            {
                check(digest.start(AmqpProtocol.FRAME_HEARTBEAT, channel).h);
            }
        }

        @Override
        public void onFrameError(final int replyCode, final String text)
        {
            decoderErrors++;
            decoderErrorCode = replyCode;
        }
    }

    /** Writes valid client frames and remembers their digests. */
    private static final class Stream
    {
        final ByteBuf out = Unpooled.buffer();
        final ArrayDeque<Long> expected = new ArrayDeque<>();
        final Random random;
        final int frameMax;
        final PropertiesEncoder propertiesEncoder = new PropertiesEncoder();
        final Digest digest = new Digest();
        long frames;

        Stream(final Random random, final int frameMax)
        {
            this.random = random;
            this.frameMax = frameMax;
        }

        void frame(final int type, final int channel, final ByteBuf payload)
        {
            // Digested as the listener sees it: a method's ids, a header's class, weight and body size one octet
            // at a time, then the arguments, properties or body.
            final int from = payload.readerIndex();
            final int split = from + (type == AmqpProtocol.FRAME_METHOD ? AmqpProtocol.METHOD_ARGUMENTS_OFFSET :
                type == AmqpProtocol.FRAME_HEADER ? AmqpProtocol.HEADER_PROPERTY_FLAGS_OFFSET : 0);
            final Digest d = digest.start(type, channel);
            for (int i = from; i < split; i++)
            {
                d.octet(payload.getByte(i));
            }
            expected.add(d.bytes(payload, split, payload.writerIndex()).h);
            raw(type, channel, payload);
        }

        /** A frame the decoder refuses: no digest, it is never decoded. */
        void raw(final int type, final int channel, final ByteBuf payload)
        {
            out.writeByte(type).writeShort(channel).writeInt(payload.readableBytes()).writeBytes(payload)
                .writeByte(AmqpProtocol.FRAME_END);
            frames++;
        }

        int channel()
        {
            return random.nextInt(8) == 0 ? random.nextInt(65536) : 1 + random.nextInt(4);
        }

        /** One valid frame or message: a random client method, a publish with content, or a heartbeat. */
        void valid()
        {
            final int kind = random.nextInt(10);
            if (kind < 4)
            {
                publish(channel());
            }
            else if (kind == 4)
            {
                frame(AmqpProtocol.FRAME_HEARTBEAT, 0, Unpooled.EMPTY_BUFFER);
            }
            else
            {
                final Method m = CLIENT_METHODS.get(random.nextInt(CLIENT_METHODS.size()));
                final ByteBuf payload = Unpooled.buffer();
                TableEncoder.payload(payload, m, TableEncoder.randomValues(m, random));
                frame(AmqpProtocol.FRAME_METHOD, channel(), payload);
            }
        }

        private static final MessageProperties[] USUAL = {
            MessageProperties.EMPTY,
            MessageProperties.builder().contentType("application/octet-stream").deliveryMode(2).build(),
            MessageProperties.builder().contentType("application/json").header("x-tenant", "eu").priority(3)
                .expiration("60000").messageId("m").timestamp(1_700_000_000_000L).clusterId("c").build()};

        void publish(final int channel)
        {
            final ByteBuf method = Unpooled.buffer();
            TableEncoder.payload(method, Method.BASIC_PUBLISH, TableEncoder.randomValues(Method.BASIC_PUBLISH, random));
            frame(AmqpProtocol.FRAME_METHOD, channel, method);

            final MessageProperties props = random.nextInt(5) > 0 ? USUAL[random.nextInt(USUAL.length)] :
                MessageProperties.builder().correlationId(TableEncoder.randomName(random))
                    .headers(TableEncoder.randomTable(random, 2)).build();
            // Now and then a body of several frames; mostly small ones, as most messages are.
            final int bodySize = random.nextInt(50) == 0 ? random.nextInt(3 * Math.min(frameMax, 8192)) :
                random.nextInt(300);
            frame(AmqpProtocol.FRAME_HEADER, channel, header(props, bodySize));
            final int chunk = frameMax - AmqpProtocol.FRAME_OVERHEAD + (random.nextInt(10) == 0 ? 8 : 0);
            for (int offset = 0; offset < bodySize; offset += chunk)
            {
                final byte[] body = TableEncoder.randomBytes(random, Math.min(chunk, bodySize - offset));
                frame(AmqpProtocol.FRAME_BODY, channel, Unpooled.wrappedBuffer(body));
            }
        }

        ByteBuf header(final MessageProperties props, final long bodySize)
        {
            final ByteBuf payload = Unpooled.buffer().writeShort(AmqpProtocol.CLASS_BASIC).writeShort(0).writeLong(bodySize);
            propertiesEncoder.encode(payload, props);
            return payload;
        }
    }

    @Test
    void randomFramesEndInTypedErrorsAndLeaveTheConnectionBesideThemUntouched()
    {
        final String seedProperty = System.getProperty("ringmq.fuzz.seed", "");
        final long seed = seedProperty.isBlank() ? System.nanoTime() ^ 0x5DEECE66DL : Long.parseLong(seedProperty.trim());
        final long target = Long.getLong("ringmq.fuzz.frames", 1_500_000L);
        System.out.println("FrameFuzzTest seed=" + seed + " frames=" + target + " (replay: -Dringmq.fuzz.seed=" + seed +
            ")");
        final Random random = new Random(seed);
        final List<String> failures = new ArrayList<>();
        final long started = System.nanoTime();

        // The connection beside the fuzzed ones: one long stream of clean frames, fed read for read in between.
        final Stream neighbourStream = new Stream(random, 131072);
        final Server neighbour = new Server("neighbour", neighbourStream.expected, failures);
        final FrameDecoder neighbourDecoder = new FrameDecoder(neighbour);
        neighbourDecoder.setMaxFrameSize(131072);
        final EmbeddedChannel neighbourChannel = new EmbeddedChannel(neighbourDecoder);
        neighbourChannel.writeInbound(Unpooled.wrappedBuffer(AmqpProtocol.protocolHeader()));

        long frames = 0;
        long connections = 0;
        final int[] perScenario = new int[Scenario.values().length];
        while (frames + neighbourStream.frames < target && failures.isEmpty())
        {
            final Scenario scenario = Scenario.values()[random.nextInt(Scenario.values().length)];
            perScenario[scenario.ordinal()]++;
            connections++;
            final int frameMax = new int[] {4096, 8192, 131072}[random.nextInt(3)];
            final Stream stream = new Stream(random, frameMax);
            stream.out.writeBytes(AmqpProtocol.protocolHeader());
            final int valid = random.nextInt(60);
            for (int i = 0; i < valid; i++)
            {
                stream.valid();
            }
            if (scenario != Scenario.CLEAN && scenario != Scenario.RANDOM_DAMAGE &&
                scenario != Scenario.BAD_PROTOCOL_HEADER)
            {
                bad(scenario, stream);
                // What follows a bad frame must not matter: more valid frames, or garbage after a frame error.
                final Stream after = new Stream(random, frameMax);
                for (int i = random.nextInt(5); i > 0; i--)
                {
                    after.valid();
                }
                if (scenario.decoderError())
                {
                    after.out.writeBytes(TableEncoder.randomBytes(random, random.nextInt(100)));
                }
                stream.out.writeBytes(after.out);
                stream.frames += after.frames;
            }
            final ArrayDeque<Long> expected;
            if (scenario == Scenario.RANDOM_DAMAGE)
            {
                damage(stream.out, random);
                expected = null;
            }
            else if (scenario == Scenario.BAD_PROTOCOL_HEADER)
            {
                stream.out.setByte(random.nextInt(8), random.nextInt(256) | 0x80);
                expected = new ArrayDeque<>();
            }
            else
            {
                expected = stream.expected;
            }

            for (int i = 1 + random.nextInt(40); i > 0; i--)
            {
                neighbourStream.valid();
            }
            final String name = "connection " + connections + " (" + scenario + ")";
            final Server server = new Server(name, expected, failures);
            final FrameDecoder decoder = new FrameDecoder(server);
            decoder.setMaxFrameSize(frameMax);
            final EmbeddedChannel channel = new EmbeddedChannel(decoder);
            feedInterleaved(channel, stream.out, neighbourChannel, neighbourStream.out, random, name, failures);
            channel.finishAndReleaseAll();
            frames += stream.frames;
            check(scenario, server, failures);
        }
        frames += neighbourStream.frames;
        if (failures.isEmpty() && !neighbour.expected.isEmpty())
        {
            failures.add("neighbour: " + neighbour.expected.size() + " clean frames were never decoded");
        }
        if (neighbour.decoderErrors + neighbour.readerErrors != 0)
        {
            failures.add("neighbour: clean frames gave errors " + neighbour.decoderErrorCode + "/" +
                neighbour.readerErrorCode);
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("FrameFuzzTest: %d frames (%d on the clean neighbour) over %d connections in %.1f s%n",
            frames, neighbourStream.frames, connections, seconds);
        if (!failures.isEmpty())
        {
            fail("seed " + seed + ": " + failures.size() + " failures, first: " + failures.subList(0,
                Math.min(5, failures.size())));
        }
        for (final Scenario s : Scenario.values())
        {
            assertTrue(target < 100_000 || perScenario[s.ordinal()] > 0, "scenario never drawn: " + s);
        }
        assertEquals(neighbourStream.frames, neighbour.frames);
    }

    /** Feeds both streams in random-sized reads, alternating, so the two decoders' work interleaves. */
    private static void feedInterleaved(final EmbeddedChannel channel, final ByteBuf bytes,
        final EmbeddedChannel neighbourChannel, final ByteBuf neighbourBytes, final Random random, final String name,
        final List<String> failures)
    {
        while (bytes.isReadable() || neighbourBytes.isReadable())
        {
            if (bytes.isReadable())
            {
                final int n = Math.min(bytes.readableBytes(), readSize(random));
                try
                {
                    channel.writeInbound(bytes.readRetainedSlice(n));
                }
                catch (final RuntimeException ex)
                {
                    failures.add(name + ": " + ex + " escaped the decoder or readers");
                    return;
                }
            }
            if (neighbourBytes.isReadable())
            {
                final int n = Math.min(neighbourBytes.readableBytes(), readSize(random));
                try
                {
                    neighbourChannel.writeInbound(neighbourBytes.readRetainedSlice(n));
                }
                catch (final RuntimeException ex)
                {
                    failures.add("neighbour: " + ex + " escaped the decoder or readers");
                    return;
                }
            }
        }
        bytes.clear();
        neighbourBytes.discardReadBytes();
    }

    private static int readSize(final Random random)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> 1 + random.nextInt(8);
            case 1 -> 1 + random.nextInt(200);
            case 2 -> 1 + random.nextInt(4096);
            default -> 1 + random.nextInt(65536);
        };
    }

    private static void check(final Scenario scenario, final Server server, final List<String> failures)
    {
        final String name = server.name;
        if (server.afterDecoderError != 0)
        {
            failures.add(name + ": " + server.afterDecoderError + " callbacks after the decoder's error");
        }
        if (scenario == Scenario.RANDOM_DAMAGE)
        {
            if (server.decoderErrors > 1)
            {
                failures.add(name + ": " + server.decoderErrors + " decoder errors");
            }
            return;
        }
        if (scenario == Scenario.BAD_PROTOCOL_HEADER)
        {
            if (!Boolean.FALSE.equals(server.headerSupported) || server.frames != 0 || server.decoderErrors != 0)
            {
                failures.add(name + ": header " + server.headerSupported + ", " + server.frames + " frames after it");
            }
            return;
        }
        if (!Boolean.TRUE.equals(server.headerSupported))
        {
            failures.add(name + ": the protocol header was not accepted");
        }
        if (!server.expected.isEmpty())
        {
            failures.add(name + ": " + server.expected.size() + " valid frames before the end were not decoded");
        }
        final int errors = server.decoderErrors + server.readerErrors;
        if (scenario == Scenario.CLEAN)
        {
            if (errors != 0)
            {
                failures.add(name + ": clean frames gave errors " + server.decoderErrorCode + "/" + server.readerErrorCode);
            }
            return;
        }
        final int code = scenario.decoderError() ? server.decoderErrorCode : server.readerErrorCode;
        final int count = scenario.decoderError() ? server.decoderErrors : server.readerErrors;
        if (errors != 1 || count != 1 || code != scenario.replyCode)
        {
            failures.add(name + ": expected one error " + scenario.replyCode + ", got " + server.decoderErrors +
                " decoder errors (" + server.decoderErrorCode + ") and " + server.readerErrors + " reader errors (" +
                server.readerErrorCode + ")");
        }
    }

    /** Appends one bad frame of a known kind. */
    private static void bad(final Scenario scenario, final Stream s)
    {
        final Random r = s.random;
        final int ch = s.channel();
        switch (scenario)
        {
            case BAD_FRAME_END ->
            {
                final Method m = CLIENT_METHODS.get(r.nextInt(CLIENT_METHODS.size()));
                final ByteBuf p = ids(m);
                TableEncoder.arguments(p, m, TableEncoder.randomValues(m, r));
                s.raw(AmqpProtocol.FRAME_METHOD, ch, p);
                s.out.setByte(s.out.writerIndex() - 1, AmqpProtocol.FRAME_END ^ (1 + r.nextInt(255)));
            }
            case OVERSIZED -> s.out.writeByte(1 + r.nextInt(3)).writeShort(ch)
                .writeInt((int)(s.frameMax + 1 + (r.nextLong() & 0x7FFF_FFFFL) % (0xFFFF_FFFFL - s.frameMax)));
            case UNKNOWN_FRAME_TYPE ->
            {
                int type;
                do
                {
                    type = r.nextInt(256);
                }
                while (type == 1 || type == 2 || type == 3 || type == 8);
                s.raw(type, ch, Unpooled.wrappedBuffer(TableEncoder.randomBytes(r, r.nextInt(50))));
            }
            case SHORT_METHOD -> s.raw(AmqpProtocol.FRAME_METHOD, ch, Unpooled.wrappedBuffer(
                TableEncoder.randomBytes(r, r.nextInt(4))));
            case UNKNOWN_METHOD ->
            {
                int classId;
                int methodId;
                do
                {
                    classId = r.nextBoolean() ? r.nextInt(100) : r.nextInt(65536);
                    methodId = r.nextBoolean() ? r.nextInt(130) : r.nextInt(65536);
                }
                while (Method.byId(classId, methodId) != null);
                s.raw(AmqpProtocol.FRAME_METHOD, ch, Unpooled.buffer().writeShort(classId).writeShort(methodId)
                    .writeBytes(TableEncoder.randomBytes(r, r.nextInt(20))));
            }
            case SHORT_CONTENT_HEADER -> s.raw(AmqpProtocol.FRAME_HEADER, ch,
                Unpooled.wrappedBuffer(TableEncoder.randomBytes(r, r.nextInt(AmqpProtocol.HEADER_MIN_SIZE))));
            case WEIGHTED_CONTENT_HEADER ->
            {
                final ByteBuf h = s.header(MessageProperties.EMPTY, 1);
                h.setShort(AmqpProtocol.HEADER_WEIGHT_OFFSET, 1 + r.nextInt(65535));
                s.raw(AmqpProtocol.FRAME_HEADER, ch, h);
            }
            case HUGE_BODY_SIZE ->
            {
                final ByteBuf h = s.header(MessageProperties.EMPTY, 0);
                h.setLong(AmqpProtocol.HEADER_BODY_SIZE_OFFSET, r.nextLong() | Long.MIN_VALUE);
                s.raw(AmqpProtocol.FRAME_HEADER, ch, h);
            }
            case HEARTBEAT_WITH_PAYLOAD -> s.raw(AmqpProtocol.FRAME_HEARTBEAT, 0,
                Unpooled.wrappedBuffer(TableEncoder.randomBytes(r, 1 + r.nextInt(10))));
            case TRUNCATED_ARGUMENTS ->
            {
                Method m;
                ByteBuf args;
                do
                {
                    m = CLIENT_METHODS.get(r.nextInt(CLIENT_METHODS.size()));
                    args = Unpooled.buffer();
                    TableEncoder.arguments(args, m, TableEncoder.randomValues(m, r));
                }
                while (!args.isReadable());
                args.writerIndex(r.nextInt(args.readableBytes()));
                s.frame(AmqpProtocol.FRAME_METHOD, ch, ids(m).writeBytes(args));
            }
            case TRAILING_OCTETS ->
            {
                final Method m = CLIENT_METHODS.get(r.nextInt(CLIENT_METHODS.size()));
                final ByteBuf p = ids(m);
                TableEncoder.arguments(p, m, TableEncoder.randomValues(m, r));
                s.frame(AmqpProtocol.FRAME_METHOD, ch, p.writeBytes(TableEncoder.randomBytes(r, 1 + r.nextInt(5))));
            }
            case STRING_PAST_END ->
            {
                final int length = 10 + r.nextInt(246);
                s.frame(AmqpProtocol.FRAME_METHOD, ch, ids(Method.BASIC_PUBLISH).writeShort(0).writeByte(length)
                    .writeBytes(TableEncoder.randomBytes(r, r.nextInt(length))));
            }
            case TABLE_PAST_END ->
            {
                final ByteBuf p = ids(Method.QUEUE_DECLARE).writeShort(0);
                WireWriter.shortString(p, "q");
                final int claimed = 5 + r.nextInt(1000);
                p.writeByte(0).writeInt(claimed).writeBytes(TableEncoder.randomBytes(r, r.nextInt(claimed)));
                s.frame(AmqpProtocol.FRAME_METHOD, ch, p);
            }
            case BAD_TABLE_TAG ->
            {
                final String tags = "tbBsuIilLfdDSxATFV";
                int tag;
                do
                {
                    tag = r.nextInt(256);
                }
                while (tags.indexOf(tag) >= 0);
                final ByteBuf table = Unpooled.buffer();
                WireWriter.shortString(table, "x-key");
                table.writeByte(tag).writeBytes(TableEncoder.randomBytes(r, r.nextInt(8)));
                final ByteBuf p = ids(Method.EXCHANGE_DECLARE).writeShort(0);
                WireWriter.shortString(p, "ex");
                WireWriter.shortString(p, "topic");
                p.writeByte(r.nextInt(32)).writeInt(table.readableBytes()).writeBytes(table);
                s.frame(AmqpProtocol.FRAME_METHOD, ch, p);
            }
            case DEEP_NESTING ->
            {
                ByteBuf table = Unpooled.buffer().writeInt(0);
                for (int depth = FieldTables.MAX_DEPTH + 1 + r.nextInt(200); depth > 0; depth--)
                {
                    final ByteBuf outer = Unpooled.buffer();
                    outer.writeInt(3 + table.readableBytes()).writeByte(1).writeByte('n')
                        .writeByte('F').writeBytes(table);
                    table = outer;
                }
                final ByteBuf p = ids(Method.QUEUE_DECLARE).writeShort(0);
                WireWriter.shortString(p, "deep");
                p.writeByte(0).writeBytes(table);
                s.frame(AmqpProtocol.FRAME_METHOD, ch, p);
            }
            case NAME_NOT_UTF8 ->
            {
                final byte[][] bad = {{(byte)0xC0, (byte)0x80}, {(byte)0xED, (byte)0xA0, (byte)0x80}, {(byte)0xFF},
                    {'a', (byte)0xE2, (byte)0x82}};
                final byte[] name = bad[r.nextInt(bad.length)];
                final ByteBuf p = ids(Method.BASIC_PUBLISH).writeShort(0);
                WireWriter.shortString(p, "amq.topic");
                p.writeByte(name.length).writeBytes(name).writeByte(0);
                s.frame(AmqpProtocol.FRAME_METHOD, ch, p);
            }
            case PROPERTIES_CUT_SHORT ->
            {
                final ByteBuf h = s.header(MessageProperties.builder().contentType("text/plain").messageId("m-1")
                    .header("k", "v").build(), 0);
                h.writerIndex(AmqpProtocol.HEADER_MIN_SIZE + r.nextInt(h.readableBytes() - AmqpProtocol.HEADER_MIN_SIZE));
                s.frame(AmqpProtocol.FRAME_HEADER, ch, h);
            }
            case BAD_EXPIRATION ->
            {
                final String[] bad = {"", "abc", "-5", "5s", "4294967296", " 1"};
                final ByteBuf h = Unpooled.buffer().writeShort(AmqpProtocol.CLASS_BASIC).writeShort(0).writeLong(0)
                    .writeShort(AmqpProtocol.BasicProperty.EXPIRATION.flag());
                final byte[] e = bad[r.nextInt(bad.length)].getBytes(StandardCharsets.US_ASCII);
                h.writeByte(e.length).writeBytes(e);
                s.frame(AmqpProtocol.FRAME_HEADER, ch, h);
            }
            default -> throw new AssertionError(scenario);
        }
    }

    private static ByteBuf ids(final Method m)
    {
        return Unpooled.buffer().writeShort(m.classId()).writeShort(m.methodId());
    }

    /** One to three random kinds of damage anywhere in the connection's bytes. */
    private static void damage(final ByteBuf out, final Random r)
    {
        for (int n = 1 + r.nextInt(3); n > 0 && out.writerIndex() > 8; n--)
        {
            final int at = 8 + r.nextInt(out.writerIndex() - 8);
            switch (r.nextInt(5))
            {
                case 0 -> out.setByte(at, out.getByte(at) ^ (1 << r.nextInt(8)));
                case 1 -> out.writerIndex(at);
                case 2 ->
                {
                    if (at + 4 <= out.writerIndex())
                    {
                        out.setInt(at, r.nextBoolean() ? r.nextInt() : 0xFFFF_FFFF);
                    }
                }
                case 3 ->
                {
                    final ByteBuf tail = out.copy(at, out.writerIndex() - at);
                    out.writerIndex(at).writeBytes(TableEncoder.randomBytes(r, 1 + r.nextInt(16))).writeBytes(tail);
                }
                default -> out.setByte(at, r.nextInt(256));
            }
        }
    }
}
