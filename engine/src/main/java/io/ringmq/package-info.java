/**
 * RingMQ's embedded broker: the AMQP 0-9-1 model in one JVM, lock-free on publish → deliver → ack.
 *
 * <h2>API</h2>
 * {@link io.ringmq.Broker} → {@link io.ringmq.Connection} → {@link io.ringmq.Channel} (declare, bind,
 * publish, consume, get, ack) → {@link io.ringmq.Consumer} / {@link io.ringmq.Delivery}; options in
 * {@link io.ringmq.QueueSpec}, {@link io.ringmq.ConsumeOptions}, {@link io.ringmq.MessageProperties};
 * typed errors carrying RabbitMQ's reply codes. Monitoring: {@link io.ringmq.Inspector}
 * ({@link io.ringmq.Broker#inspector()}) lists what the broker holds as {@link io.ringmq.QueueInfo},
 * {@link io.ringmq.BindingInfo}, {@link io.ringmq.ConsumerInfo}, {@link io.ringmq.ChannelInfo},
 * {@link io.ringmq.ConnectionInfo} and {@link io.ringmq.BrokerOverview}. Everything else in this package
 * is package-private.
 *
 * <h2>Glossary of the internals</h2>
 * <ul>
 *   <li><b>Queue side.</b> {@code MessageQueue}: one queue's identity, consumers, deletion and counts
 *       ({@code QueueCounters}); its {@code QueueStorage}, chosen once at declare time:
 *       {@code PlainStorage} (a growing ring, {@code internal.MpmcGrowingRing}) or {@code PolicyStorage} (TTL, length limits, priority
 *       levels). {@code Returned}: the one type of a message that came back to its queue (requeued, or
 *       unclaimed from a mailbox), carrying its redelivered flag and return counts.
 *       {@code SingleActiveConsumer} and {@code QueueExpiry}: those two policies' state, apart from
 *       storage. {@code RoomSignal}: "no room, will tell you" for publishers that may not wait.
 *       {@code DeadLetters} / {@code DeathHistory}: RabbitMQ's dead-lettering and {@code x-death}.</li>
 *   <li><b>Message.</b> {@code Envelope}: a published message, stored once however many queues took it,
 *       reference counted, pooled by {@code EnvelopePool}'s per-thread magazines.</li>
 *   <li><b>Consumer side.</b> {@code DeliveryAgent}: a consumer's work (take, hand to the handler, settle
 *       auto-acks and handler failures) and its idle/wake protocol, apart from who runs it: an
 *       {@code AgentRunner}, one of {@code DedicatedThread}, {@code ConsumerPool} or {@code CallerDriven}.
 *       {@code Mailbox}: what {@code RoundRobinDispatcher} handed a consumer of a shared queue.</li>
 *   <li><b>Acknowledgement.</b> {@code Acknowledgements}: a channel's delivery tags and what ack, nack,
 *       reject and recover do with them; one {@code AckScope} per consumer (and one for the channel's
 *       gets), each an {@code internal.UnackedTable}.</li>
 *   <li><b>Monitoring counts.</b> {@code QueueStatistics}: one queue's deliveries, acknowledgements,
 *       ready bytes and rates, summed on read from per-consumer {@code ConsumerCounts} cells (written by
 *       the delivering thread and the settlers only) and the totals of cells folded;
 *       {@code BrokerStatistics}: the broker's totals, deleted queues included; rates are sampled on the
 *       {@code Housekeeper}'s thread.</li>
 *   <li><b>Publishing.</b> {@code Channel} routes once per publish ({@code routing.table.RoutingTable}),
 *       offers the envelope to each queue, and fences once; {@code HeldPublishes} keeps, in order, what a
 *       non-blocking publish could not yet put into full queues. {@code DirectReplyTo}: RabbitMQ's
 *       {@code amq.rabbitmq.reply-to}.</li>
 * </ul>
 *
 * <h2>The concurrency protocols, each in one place</h2>
 * <ul>
 *   <li><b>Publish → delete</b> ({@code MessageQueue}): the deleter stores {@code deleted} then drains;
 *       a publisher offers, fences, then reads {@code deleted} and drains too. Nothing is left behind
 *       uncounted.</li>
 *   <li><b>Idle → wake</b> ({@code DeliveryAgent}): an idle agent stores its armed state, then re-checks
 *       its mailbox, credit and queue; every waker (publisher after its fence, acker, dispatcher,
 *       election) makes its change, then reads the armed state and disarms by CAS: exactly one hands the
 *       agent back to its runner. A dedicated thread or pool thread adds one more Dekker pair for parking
 *       ({@code sleeping} / {@code parked}).</li>
 *   <li><b>Stop</b> ({@code DeliveryAgent}): the stopper CASes the state, then waits for the delivering
 *       flag, which each run sets by CAS before reading the state.</li>
 *   <li><b>No room → room</b> ({@code RoomSignal}): the publisher registers, then offers again; a taker
 *       takes, then reads the count of registrations.</li>
 *   <li><b>Acks</b> ({@code internal.UnackedTable}): one inserter per scope, any thread claims by CAS on
 *       the slot's tag; values are published by the tag's release store.</li>
 *   <li><b>Round-robin</b> ({@code RoundRobinDispatcher}): one CAS takes the dispatch role; its release
 *       hands the rotation and the mailbox puts to the next holder.</li>
 *   <li><b>Count fold</b> ({@code ConsumerCounts}): the fold stores {@code folded}, then takes the
 *       acknowledgement count by exchange with 0; an acker adds, then reads {@code folded}, and if set moves
 *       its add under the queue statistics' monitor. Each acknowledgement is counted exactly once.</li>
 *   <li><b>Envelopes</b> ({@code Envelope}): fields written before the ring's release store that
 *       publishes them; the last holder's atomic decrement orders every holder's reads before the
 *       clearing.</li>
 * </ul>
 *
 * <h2>Memory-ordering vocabulary</h2>
 * Every field shared between threads is accessed through a VarHandle accessor whose prefix names its
 * ordering, as JCTools does; where the pairing is not obvious the comment names the partner:
 * <ul>
 *   <li>{@code lp} / {@code sp}: plain load / store (only where something else orders them);</li>
 *   <li>{@code lo} / {@code so}: opaque load / release ("ordered") store; {@code la}: acquire load, the
 *       partner of an {@code so};</li>
 *   <li>{@code lv} / {@code sv}: volatile load / store (sequentially consistent: the halves of Dekker pairs);</li>
 *   <li>{@code cas}: compare-and-set; {@code faa}: fetch-and-add (both full fences).</li>
 * </ul>
 */
package io.ringmq;
