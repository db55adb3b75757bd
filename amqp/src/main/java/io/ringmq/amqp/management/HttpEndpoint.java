package io.ringmq.amqp.management;

import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.Map;

/** What one HTTP listener serves, once {@link HttpListener} has checked the caller's credentials. */
interface HttpEndpoint
{
    /**
     * Called on the listener's event loop, one request at a time per connection.
     *
     * @param method   the request's method.
     * @param segments the path's segments, each percent-decoded on its own (so {@code %2F}, the vhost
     *                 {@code /}, stays one segment); {@code /} is the empty list.
     * @param query    the query string's parameters.
     */
    HttpAnswer answer(HttpMethod method, List<String> segments, Map<String, List<String>> query);
}
