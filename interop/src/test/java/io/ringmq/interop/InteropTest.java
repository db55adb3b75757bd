package io.ringmq.interop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that talks to the broker under test over AMQP 0-9-1: its test methods may take an
 * {@link Amqp} parameter, and each is bounded in time (every wait inside has a shorter bound of
 * its own; this is the backstop).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(InteropBroker.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@interface InteropTest
{
}
