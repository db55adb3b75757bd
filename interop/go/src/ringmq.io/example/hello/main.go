// The classic AMQP example: declare, bind, publish, consume with a manual ack.
package main

import (
	"log"
	"os"

	amqp "github.com/rabbitmq/amqp091-go"
)

func main() {
	url := "amqp://guest:guest@localhost:5672/"
	if override := os.Getenv("AMQP_URL"); override != "" {
		url = override
	}

	conn, err := amqp.Dial(url)
	if err != nil {
		log.Fatalf("dial: %v", err)
	}
	defer conn.Close()

	ch, err := conn.Channel()
	if err != nil {
		log.Fatalf("channel: %v", err)
	}
	defer ch.Close()

	if err := ch.ExchangeDeclare("logs", "direct", true, false, false, false, nil); err != nil {
		log.Fatalf("exchange declare: %v", err)
	}
	q, err := ch.QueueDeclare("logs", true, false, false, false, nil)
	if err != nil {
		log.Fatalf("queue declare: %v", err)
	}
	if err := ch.QueueBind(q.Name, "logs", "logs", false, nil); err != nil {
		log.Fatalf("queue bind: %v", err)
	}

	err = ch.Publish("logs", "logs", false, false, amqp.Publishing{
		ContentType: "text/plain",
		Body:        []byte("Hello World!"),
	})
	if err != nil {
		log.Fatalf("publish: %v", err)
	}

	msgs, err := ch.Consume(q.Name, "", false, false, false, false, nil)
	if err != nil {
		log.Fatalf("consume: %v", err)
	}
	msg := <-msgs
	log.Printf("received: %s", msg.Body)
	if err := msg.Ack(false); err != nil {
		log.Fatalf("ack: %v", err)
	}
}
