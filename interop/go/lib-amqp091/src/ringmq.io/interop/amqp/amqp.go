// Package amqp names the parts of github.com/rabbitmq/amqp091-go that the interop scenarios use.
//
// The scenarios import ringmq.io/interop/amqp, and this GOPATH root (interop/go/lib-amqp091) put
// before interop/go decides which client library that is: the same scenario code is compiled
// once against each library, so the two cannot drift apart. Its twin under interop/go/lib-*
// must declare the same names.
package amqp

import lib "github.com/rabbitmq/amqp091-go"

// Library is the import path the scenarios were compiled against.
const Library = "github.com/rabbitmq/amqp091-go"

type (
	Connection   = lib.Connection
	Channel      = lib.Channel
	Delivery     = lib.Delivery
	Publishing   = lib.Publishing
	Table        = lib.Table
	Error        = lib.Error
	Return       = lib.Return
	Confirmation = lib.Confirmation
	Queue        = lib.Queue
)

const (
	NotFound   = lib.NotFound
	NoRoute    = lib.NoRoute
	Persistent = lib.Persistent
)

// Dial opens a connection with the library's defaults.
func Dial(url string) (*Connection, error) { return lib.Dial(url) }
