package io.ringmq.amqp.management;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.ringmq.amqp.server.ServerState;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 port: Netty's codec and aggregator, HTTP basic auth against the AMQP listener's users, then an
 * {@link HttpEndpoint}. A caller without valid credentials gets 401 with RabbitMQ's challenge,
 * {@code WWW-Authenticate: Basic realm="RabbitMQ Management"}, whatever it asked for.
 */
final class HttpListener implements AutoCloseable
{
    static final String REALM = "Basic realm=\"RabbitMQ Management\"";
    /** Requests are small (no endpoint takes a body yet): anything larger is refused by the aggregator with 413. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A keep-alive connection idle this long is closed, so idle browsers and scrapers hold no socket forever. */
    private static final int IDLE_SECONDS = 60;

    private final Channel listener;

    private HttpListener(final Channel listener)
    {
        this.listener = listener;
    }

    /**
     * @throws IllegalStateException when the port cannot be bound.
     */
    static HttpListener bind(final EventLoopGroup group, final String address, final int port, final ServerState server,
        final HttpEndpoint endpoint)
    {
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline()
                        .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                        .addLast("http", new HttpServerCodec())
                        .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast("serve", new Dispatcher(server, endpoint));
                }
            });
        try
        {
            return new HttpListener(bootstrap.bind(address, port).sync().channel());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + address + ":" + port, ex);
        }
        catch (final Exception ex) // Netty's sync() rethrows a java.net.BindException undeclared
        {
            throw new IllegalStateException("cannot listen on " + address + ":" + port + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the bound address, with the real port also when 0 was asked for. */
    InetSocketAddress address()
    {
        return (InetSocketAddress)listener.localAddress();
    }

    /** Stops accepting; connections already open end with the event loop group. */
    @Override
    public void close()
    {
        listener.close().awaitUninterruptibly();
    }

    /** @return the path's segments, each decoded on its own; {@code /} and the empty path are no segment. */
    static List<String> segments(final String rawPath)
    {
        final List<String> segments = new ArrayList<>();
        for (final String segment : rawPath.split("/", -1))
        {
            if (!segment.isEmpty())
            {
                segments.add(QueryStringDecoder.decodeComponent(segment, StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        private static final System.Logger LOG = System.getLogger("io.ringmq.amqp.management");

        private final ServerState server;
        private final HttpEndpoint endpoint;

        Dispatcher(final ServerState server, final HttpEndpoint endpoint)
        {
            this.server = server;
            this.endpoint = endpoint;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext context, final FullHttpRequest request)
        {
            HttpAnswer answer;
            if (!request.decoderResult().isSuccess())
            {
                answer = HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request");
            }
            else if (!authenticated(context, request))
            {
                answer = HttpAnswer.error(HttpResponseStatus.UNAUTHORIZED, "not_authorized", "Login failed")
                    .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), REALM);
            }
            else
            {
                final QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true);
                try
                {
                    answer = endpoint.answer(request.method(), segments(uri.rawPath()), uri.parameters());
                }
                catch (final RuntimeException ex)
                {
                    LOG.log(System.Logger.Level.WARNING, request.method() + " " + request.uri() + " failed", ex);
                    answer = HttpAnswer.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error",
                        String.valueOf(ex.getMessage()));
                }
            }
            respond(context, request, answer);
        }

        private boolean authenticated(final ChannelHandlerContext context, final FullHttpRequest request)
        {
            final String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6))
            {
                return false; // a browser's first try: it asks the user and comes back, nothing to log
            }
            final String decoded;
            try
            {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            }
            catch (final IllegalArgumentException ex)
            {
                return false;
            }
            final int colon = decoded.indexOf(':');
            if (colon < 0)
            {
                return false;
            }
            final String user = decoded.substring(0, colon);
            final boolean loopback = context.channel().remoteAddress() instanceof InetSocketAddress peer &&
                peer.getAddress().isLoopbackAddress();
            final String refusal = server.authenticate(user, decoded.substring(colon + 1), loopback);
            if (refusal != null)
            {
                LOG.log(System.Logger.Level.WARNING, "HTTP login refused for " + context.channel().remoteAddress() + ": " +
                    refusal);
                return false;
            }
            return true;
        }

        private static void respond(final ChannelHandlerContext context, final FullHttpRequest request,
            final HttpAnswer answer)
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(answer.body()));
            if (answer.contentType() != null)
            {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            }
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            for (final Map.Entry<String, String> header : answer.headers().entrySet())
            {
                response.headers().set(header.getKey(), header.getValue());
            }
            HttpUtil.setContentLength(response, answer.body().length);
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive)
            {
                context.writeAndFlush(response);
            }
            else
            {
                context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext context, final Object event)
        {
            if (event instanceof IdleStateEvent)
            {
                context.close();
            }
            else
            {
                context.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
        {
            context.close(); // a reset or a broken request: nothing to answer
        }
    }
}
