/**
 * RingMQ's in-process demo: an application on the module path, using only the engine's exported API.
 */
module io.ringmq.demo {
    requires io.ringmq.engine;
}
