package io.ringmq.amqp.management;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an {@link HttpEndpoint} answers: a status, a body and its content type, and any other headers.
 *
 * @param status      the HTTP status.
 * @param contentType the body's content type (null with an empty body).
 * @param body        the body, never null.
 * @param headers     other response headers.
 */
record HttpAnswer(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers)
{
    static final String JSON = "application/json";

    static HttpAnswer json(final HttpResponseStatus status, final byte[] body)
    {
        return new HttpAnswer(status, JSON, body, Map.of());
    }

    static HttpAnswer ok(final String contentType, final byte[] body)
    {
        return new HttpAnswer(HttpResponseStatus.OK, contentType, body, Map.of());
    }

    /** What RabbitMQ answers a successful DELETE with. */
    static HttpAnswer noContent()
    {
        return new HttpAnswer(HttpResponseStatus.NO_CONTENT, null, new byte[0], Map.of());
    }

    /** RabbitMQ's error body: {@code {"error": ..., "reason": ...}}. */
    static HttpAnswer error(final HttpResponseStatus status, final String error, final String reason)
    {
        return json(status, Json.write(json -> json.writeStartObject()
            .writeStringProperty("error", error)
            .writeStringProperty("reason", reason)
            .writeEndObject()));
    }

    /** RabbitMQ's 404, word for word. */
    static HttpAnswer notFound()
    {
        return error(HttpResponseStatus.NOT_FOUND, "Object Not Found", "Not Found");
    }

    /** 405 for a known path asked with another method, naming the one it takes. */
    static HttpAnswer methodNotAllowed(final String allowed)
    {
        return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed", "use " + allowed)
            .withHeader("Allow", allowed);
    }

    HttpAnswer withHeader(final String name, final String value)
    {
        final java.util.LinkedHashMap<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpAnswer(status, contentType, body, Map.copyOf(more));
    }

    @Override
    public String toString()
    {
        return status + " " + contentType + " " + new String(body, StandardCharsets.UTF_8);
    }
}
