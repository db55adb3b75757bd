package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.List;

/** Records every callback of a {@link FrameDecoder} as one line, payloads in hex, for tests to compare. */
class RecordingListener implements FrameListener
{
    final List<String> events = new ArrayList<>();
    final List<Integer> errorCodes = new ArrayList<>();
    final List<String> errorTexts = new ArrayList<>();
    final List<Boolean> viewsReadOnly = new ArrayList<>();

    private void view(final ByteBuf b)
    {
        viewsReadOnly.add(b.isReadOnly());
    }

    @Override
    public void onProtocolHeader(final boolean supported, final ByteBuf header)
    {
        view(header);
        events.add("header " + supported + " " + ByteBufUtil.hexDump(header));
    }

    @Override
    public void onMethod(final int channel, final int classId, final int methodId, final ByteBuf arguments)
    {
        view(arguments);
        events.add("method " + channel + " " + classId + "." + methodId + " " + ByteBufUtil.hexDump(arguments));
    }

    @Override
    public void onContentHeader(final int channel, final int classId, final long bodySize, final ByteBuf properties)
    {
        view(properties);
        events.add("content-header " + channel + " " + classId + " " + bodySize + " " + ByteBufUtil.hexDump(properties));
    }

    @Override
    public void onContentBody(final int channel, final ByteBuf body)
    {
        view(body);
        events.add("body " + channel + " " + ByteBufUtil.hexDump(body));
    }

    @Override
    public void onHeartbeat(final int channel)
    {
        events.add("heartbeat " + channel);
    }

    @Override
    public void onFrameError(final int replyCode, final String text)
    {
        errorCodes.add(replyCode);
        errorTexts.add(text);
        events.add("error " + replyCode);
    }
}
