// Command liaison is the Liaison business relationship management server
// and its administration commands. Run `liaison help` for the list.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/liaisonhq/liaison/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
