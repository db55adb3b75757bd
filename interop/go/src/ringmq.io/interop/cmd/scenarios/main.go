// Command scenarios runs every interop scenario against the broker at a URL and prints one
// PASS or FAIL line per scenario; it exits 1 if any failed. The URL is the first argument, or
// AMQP_URL, or RabbitMQ's default.
package main

import (
	"fmt"
	"os"
	"time"

	"ringmq.io/interop/amqp"
	"ringmq.io/interop/scenarios"
)

func main() {
	url := "amqp://guest:guest@127.0.0.1:5672/"
	if env := os.Getenv("AMQP_URL"); env != "" {
		url = env
	}
	if len(os.Args) > 1 {
		url = os.Args[1]
	}
	failed := 0
	for _, s := range scenarios.All {
		err := runBounded(s, url)
		if err != nil {
			failed++
			fmt.Printf("FAIL go %s %s: %v\n", amqp.Library, s.Name, err)
		} else {
			fmt.Printf("PASS go %s %s\n", amqp.Library, s.Name)
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
}

// runBounded gives a scenario twice the per-wait bound in all; one stuck in a library call is reported, not waited for.
func runBounded(s scenarios.Scenario, url string) (err error) {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panic: %v", r)
			}
		}()
		done <- s.Run(url)
	}()
	select {
	case err = <-done:
		return err
	case <-time.After(2 * scenarios.Wait):
		return fmt.Errorf("did not finish within %v", 2*scenarios.Wait)
	}
}
