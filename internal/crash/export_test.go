package crash

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// The liaison command is built once per test binary and shared by the
// tests of both test packages.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// LiaisonBinary returns the liaison command built for this test binary.
func LiaisonBinary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "liaison-crash-*")
		if built.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		built.bin, built.err = Build(ctx, built.dir)
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}
