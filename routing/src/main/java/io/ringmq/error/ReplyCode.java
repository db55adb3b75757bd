package io.ringmq.error;

/**
 * The AMQP 0-9-1 reply codes RingMQ reports, so that a RabbitMQ user recognises each failure.
 */
public enum ReplyCode
{
    /** 403: the operation is not allowed on this object (default exchange, internal exchange, reserved name). */
    ACCESS_REFUSED(403),
    /** 404: the named exchange or queue does not exist. */
    NOT_FOUND(404),
    /** 405: the queue is exclusive to another owner. */
    RESOURCE_LOCKED(405),
    /** 406: arguments or state do not allow the operation (redeclare with other arguments, invalid argument, unknown tag). */
    PRECONDITION_FAILED(406),
    /** 504: the channel or broker is closed. */
    CHANNEL_ERROR(504),
    /** 506: the broker lacked the resources to complete the method (a blocked publish that timed out). */
    RESOURCE_ERROR(506),
    /** 530: not allowed, as RabbitMQ answers a consumer tag reused on a channel, or an unknown virtual host. */
    NOT_ALLOWED(530);

    private final int code;

    ReplyCode(final int code)
    {
        this.code = code;
    }

    /** @return the numeric AMQP reply code. */
    public int code()
    {
        return code;
    }
}
