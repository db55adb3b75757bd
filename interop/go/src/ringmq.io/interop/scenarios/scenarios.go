// Package scenarios holds broker scenarios that a Go AMQP client must see work the RabbitMQ way.
// It is compiled against each client library in turn (see ringmq.io/interop/amqp).
package scenarios

import (
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"time"

	"ringmq.io/interop/amqp"
)

// Wait bounds every wait for the broker inside a scenario.
const Wait = 10 * time.Second

// Scenario is one named check against the broker at a URL; it returns nil when the broker behaved.
type Scenario struct {
	Name string
	Run  func(url string) error
}

// All lists the scenarios in the order they run.
var All = []Scenario{
	{"consume-manual-ack", consumeManualAck},
	{"qos-prefetch", qosPrefetch},
	{"publisher-confirms", publisherConfirms},
	{"basic-get", basicGet},
	{"nack-requeue-redelivered", nackRequeueRedelivered},
	{"server-named-queue", serverNamedQueue},
	{"mandatory-return", mandatoryReturn},
	{"channel-error-404-connection-lives", channelError404ConnectionLives},
}

// names makes queue names; seeded per process, as Go 1.19's global source is not.
var names = rand.New(rand.NewSource(time.Now().UnixNano()))

// session is one connection and channel, with a queue name of its own.
type session struct {
	conn  *amqp.Connection
	ch    *amqp.Channel
	queue string
}

func open(url string) (*session, error) {
	conn, err := amqp.Dial(url)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	ch, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("channel: %w", err)
	}
	name := fmt.Sprintf("interop.go.%08x", names.Uint32())
	if _, err := ch.QueueDeclare(name, false, true, false, false, nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("queue.declare: %w", err)
	}
	return &session{conn: conn, ch: ch, queue: name}, nil
}

// close deletes the session's queue (auto-delete only covers queues that had a consumer) and hangs up.
func (s *session) close() {
	if ch, err := s.conn.Channel(); err == nil {
		ch.QueueDelete(s.queue, false, false, false)
	}
	s.conn.Close()
}

func (s *session) publish(bodies ...string) error {
	for _, body := range bodies {
		if err := s.ch.Publish("", s.queue, false, false, amqp.Publishing{Body: []byte(body)}); err != nil {
			return fmt.Errorf("publish %q: %w", body, err)
		}
	}
	return nil
}

// publishConfirmed publishes on a confirming channel of its own and waits for every ack, so the
// messages are in the queue when it returns.
func (s *session) publishConfirmed(bodies ...string) error {
	ch, err := s.conn.Channel()
	if err != nil {
		return err
	}
	defer ch.Close()
	if err := ch.Confirm(false); err != nil {
		return fmt.Errorf("confirm.select: %w", err)
	}
	confirms := ch.NotifyPublish(make(chan amqp.Confirmation, len(bodies)))
	for _, body := range bodies {
		if err := ch.Publish("", s.queue, false, false, amqp.Publishing{Body: []byte(body)}); err != nil {
			return fmt.Errorf("publish %q: %w", body, err)
		}
	}
	for range bodies {
		select {
		case c := <-confirms:
			if !c.Ack {
				return fmt.Errorf("message %d nacked", c.DeliveryTag)
			}
		case <-time.After(Wait):
			return errors.New("no confirm within the wait")
		}
	}
	return nil
}

func next(deliveries <-chan amqp.Delivery, what string) (amqp.Delivery, error) {
	select {
	case d, ok := <-deliveries:
		if !ok {
			return d, fmt.Errorf("delivery channel closed while waiting for %s", what)
		}
		return d, nil
	case <-time.After(Wait):
		return amqp.Delivery{}, fmt.Errorf("waited %v for %s", Wait, what)
	}
}

func nothingMore(deliveries <-chan amqp.Delivery, what string) error {
	select {
	case d := <-deliveries:
		return fmt.Errorf("%s, but got %q", what, d.Body)
	case <-time.After(300 * time.Millisecond):
		return nil
	}
}

func consumeManualAck(url string) error {
	s, err := open(url)
	if err != nil {
		return err
	}
	defer s.close()
	want := []string{"one", "two", "three"}
	if err := s.publish(want...); err != nil {
		return err
	}
	deliveries, err := s.ch.Consume(s.queue, "", false, false, false, false, nil)
	if err != nil {
		return fmt.Errorf("basic.consume: %w", err)
	}
	for i, body := range want {
		d, err := next(deliveries, body)
		if err != nil {
			return err
		}
		if string(d.Body) != body || d.Redelivered || d.DeliveryTag != uint64(i+1) {
			return fmt.Errorf("got %q tag %d redelivered %v, want %q tag %d first delivery", d.Body, d.DeliveryTag, d.Redelivered, body, i+1)
		}
		if err := d.Ack(false); err != nil {
			return fmt.Errorf("basic.ack: %w", err)
		}
	}
	q, err := s.ch.QueueDeclarePassive(s.queue, false, true, false, false, nil)
	if err != nil {
		return fmt.Errorf("passive declare: %w", err)
	}
	if q.Messages != 0 || q.Consumers != 1 {
		return fmt.Errorf("after the acks: %d messages, %d consumers; want 0 and 1", q.Messages, q.Consumers)
	}
	return nil
}

func qosPrefetch(url string) error {
	s, err := open(url)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.ch.Qos(2, 0, false); err != nil {
		return fmt.Errorf("basic.qos: %w", err)
	}
	if err := s.publishConfirmed("1", "2", "3", "4", "5"); err != nil {
		return err
	}
	deliveries, err := s.ch.Consume(s.queue, "", false, false, false, false, nil)
	if err != nil {
		return fmt.Errorf("basic.consume: %w", err)
	}
	first, err := next(deliveries, "the first of two prefetched")
	if err != nil {
		return err
	}
	if _, err := next(deliveries, "the second of two prefetched"); err != nil {
		return err
	}
	if err := nothingMore(deliveries, "prefetch 2 allows two unacked deliveries"); err != nil {
		return err
	}
	if err := first.Ack(false); err != nil {
		return err
	}
	third, err := next(deliveries, "the third, once one is acked")
	if err != nil {
		return err
	}
	if string(third.Body) != "3" {
		return fmt.Errorf("after one ack got %q, want \"3\"", third.Body)
	}
	return nothingMore(deliveries, "still two unacked")
}

func publisherConfirms(url string) error {
	s, err := open(url)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.ch.Confirm(false); err != nil {
		return fmt.Errorf("confirm.select: %w", err)
	}
	const n = 20
	confirms := s.ch.NotifyPublish(make(chan amqp.Confirmation, n))
	for i := 0; i < n; i++ {
		if err := s.publish(fmt.Sprint(i)); err != nil {
			return err
		}
	}
	// The libraries hand over one Confirmation per message, in order, even for a multiple ack.
	for want := uint64(1); want <= n; want++ {
		select {
		case c := <-confirms:
			if !c.Ack || c.DeliveryTag != want {
				return fmt.Errorf("confirmation %+v, want ack of %d", c, want)
			}
		case <-time.After(Wait):
			return fmt.Errorf("waited %v for the confirm of %d", Wait, want)
		}
	}
	q, err := s.ch.QueueDeclarePassive(s.queue, false, true, false, false, nil)
	if err != nil {
		return err
	}
	if q.Messages != n {
		return fmt.Errorf("%d messages in the queue, want %d", q.Messages, n)
	}
	return nil
}

func basicGet(url string) error {
	s, err := open(url)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.publishConfirmed("a", "b"); err != nil {
		return err
	}
	for _, want := range []struct {
		body      string
		remaining uint32
	}{{"a", 1}, {"b", 0}} {
		d, ok, err := s.ch.Get(s.queue, false)
		if err != nil || !ok {
			return fmt.Errorf("basic.get for %q: ok %v, err %v", want.body, ok, err)
		}
		// get-ok's message-count is what is left in the queue after this one.
		if string(d.Body) != want.body || d.MessageCount != want.remaining {
			return fmt.Errorf("get-ok %q with message-count %d, want %q with %d", d.Body, d.MessageCount, want.body, want.remaining)
		}
		if err := d.Ack(false); err != nil {
			return err
		}
	}
	if _, ok, err := s.ch.Get(s.queue, false); err != nil || ok {
		return fmt.Errorf("basic.get on an empty queue: ok %v, err %v; want get-empty", ok, err)
	}
	return nil
}

func nackRequeueRedelivered(url string) error {
	s, err := open(url)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.publishConfirmed("again"); err != nil {
		return err
	}
	deliveries, err := s.ch.Consume(s.queue, "", false, false, false, false, nil)
	if err != nil {
		return err
	}
	first, err := next(deliveries, "the first delivery")
	if err != nil {
		return err
	}
	if first.Redelivered {
		return errors.New("first delivery flagged redelivered")
	}
	if err := first.Nack(false, true); err != nil {
		return fmt.Errorf("basic.nack: %w", err)
	}
	second, err := next(deliveries, "the redelivery after nack(requeue)")
	if err != nil {
		return err
	}
	if string(second.Body) != "again" || !second.Redelivered {
		return fmt.Errorf("redelivery %q redelivered=%v, want \"again\" redelivered=true", second.Body, second.Redelivered)
	}
	return second.Ack(false)
}

func serverNamedQueue(url string) error {
	s, err := open(url)
	if err != nil {
		return err
	}
	defer s.close()
	q, err := s.ch.QueueDeclare("", false, true, true, false, nil)
	if err != nil {
		return fmt.Errorf("queue.declare \"\": %w", err)
	}
	if !strings.HasPrefix(q.Name, "amq.gen-") {
		return fmt.Errorf("server-named queue %q, want an amq.gen- name", q.Name)
	}
	if err := s.ch.QueueBind(q.Name, "", "amq.fanout", false, nil); err != nil {
		return err
	}
	deliveries, err := s.ch.Consume(q.Name, "", true, true, false, false, nil)
	if err != nil {
		return err
	}
	if err := s.ch.Publish("amq.fanout", "", false, false, amqp.Publishing{Body: []byte("to all")}); err != nil {
		return err
	}
	d, err := next(deliveries, "the fanout message")
	if err != nil {
		return err
	}
	if string(d.Body) != "to all" || d.Exchange != "amq.fanout" {
		return fmt.Errorf("got %q from %q", d.Body, d.Exchange)
	}
	return nil
}

func mandatoryReturn(url string) error {
	s, err := open(url)
	if err != nil {
		return err
	}
	defer s.close()
	returns := s.ch.NotifyReturn(make(chan amqp.Return, 1))
	key := "no.queue.bound." + s.queue
	if err := s.ch.Publish("amq.direct", key, true, false, amqp.Publishing{Body: []byte("lost")}); err != nil {
		return err
	}
	select {
	case r := <-returns:
		if r.ReplyCode != amqp.NoRoute || r.ReplyText != "NO_ROUTE" || r.Exchange != "amq.direct" || r.RoutingKey != key || string(r.Body) != "lost" {
			return fmt.Errorf("basic.return %d %q %q %q %q, want 312 NO_ROUTE amq.direct %q \"lost\"", r.ReplyCode, r.ReplyText, r.Exchange, r.RoutingKey, r.Body, key)
		}
		return nil
	case <-time.After(Wait):
		return fmt.Errorf("waited %v for basic.return", Wait)
	}
}

func channelError404ConnectionLives(url string) error {
	s, err := open(url)
	if err != nil {
		return err
	}
	defer s.close()
	closed := s.ch.NotifyClose(make(chan *amqp.Error, 1))
	missing := "interop.go.missing." + s.queue
	_, err = s.ch.QueueDeclarePassive(missing, false, false, false, false, nil)
	var amqpErr *amqp.Error
	if !errors.As(err, &amqpErr) || amqpErr.Code != amqp.NotFound || !amqpErr.Server {
		return fmt.Errorf("passive declare of a missing queue: %v, want a 404 from the server", err)
	}
	want := fmt.Sprintf("NOT_FOUND - no queue '%s' in vhost '/'", missing)
	if amqpErr.Reason != want {
		return fmt.Errorf("reason %q, want %q", amqpErr.Reason, want)
	}
	select {
	case <-closed:
	case <-time.After(Wait):
		return errors.New("the channel was not closed by the 404")
	}
	if s.conn.IsClosed() {
		return errors.New("a channel error closed the connection")
	}
	ch, err := s.conn.Channel()
	if err != nil {
		return fmt.Errorf("new channel after the 404: %w", err)
	}
	if _, err := ch.QueueDeclarePassive(s.queue, false, true, false, false, nil); err != nil {
		return fmt.Errorf("the connection is unusable after the 404: %w", err)
	}
	return ch.Close()
}
