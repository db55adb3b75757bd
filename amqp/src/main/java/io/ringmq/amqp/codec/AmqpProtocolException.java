package io.ringmq.amqp.codec;

import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;

/**
 * The one exception the codec raises for bad input from a peer: a method's arguments, a field table,
 * content properties or a SASL response that break the protocol. It carries what the server needs to
 * answer as RabbitMQ would: the reply code, the class and method ids of the offending method (0 when none),
 * and the explanation. {@link ReplyCode#hardError()} says whether to close the connection or the channel.
 * <p>
 * The reply codes follow RabbitMQ:
 * <ul>
 *   <li>501 FRAME_ERROR: arguments that do not decode (too short, a length past the end, octets left over,
 *       malformed UTF-8 in a short string) — RabbitMQ's "cannot decode";</li>
 *   <li>502 SYNTAX_ERROR: well-framed values the grammar does not allow (an unknown field-table type tag,
 *       tables nested deeper than {@link FieldTables#MAX_DEPTH}, a malformed SASL response);</li>
 *   <li>406 PRECONDITION_FAILED: content properties RabbitMQ refuses at basic.publish (expiration,
 *       delivery mode), a channel error;</li>
 *   <li>503 COMMAND_INVALID: an authentication mechanism the server does not offer.</li>
 * </ul>
 * It has no stack trace: it reports a peer's mistake, not a bug here, and a hostile peer must not be able
 * to make the server spend time filling stack traces.
 */
public final class AmqpProtocolException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ReplyCode replyCode;
    private final int classId;
    private final int methodId;
    private final String explanation;

    /**
     * @param replyCode   what RabbitMQ would answer
     * @param classId     class id of the offending method, or 0
     * @param methodId    method id of the offending method, or 0
     * @param explanation what is wrong, without the reply code's name
     */
    public AmqpProtocolException(final ReplyCode replyCode, final int classId, final int methodId,
        final String explanation)
    {
        super(replyCode.replyText(explanation), null, false, false);
        this.replyCode = replyCode;
        this.classId = classId;
        this.methodId = methodId;
        this.explanation = explanation;
    }

    /** @return the reply code to answer with. */
    public ReplyCode replyCode()
    {
        return replyCode;
    }

    /** @return the class id of the offending method, or 0. */
    public int classId()
    {
        return classId;
    }

    /** @return the method id of the offending method, or 0. */
    public int methodId()
    {
        return methodId;
    }

    /** @return what is wrong, without the reply code's name. */
    public String explanation()
    {
        return explanation;
    }

    /** @return the reply-text to send in connection.close / channel.close, e.g. "FRAME_ERROR - cannot decode ...". */
    public String replyText()
    {
        return getMessage();
    }
}
