package crash

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

// startTimeout bounds how long a server may take to answer /readyz.
const startTimeout = 60 * time.Second

// server is one running `liaison serve` process.
type server struct {
	cmd    *exec.Cmd
	url    string
	ready  time.Duration // from start to the first 200 on /readyz
	exited chan struct{} // closed when the process has ended
	err    error         // why it ended, once exited is closed
	killed bool
}

var bannerURL = regexp.MustCompile(`Liaison is running at (http://127\.0\.0\.1:\d+)`)

// startServer starts `liaison serve` on a free loopback port (--addr
// 127.0.0.1:0; the port is read from the start-up banner, so no other
// process can take it between choosing and binding) and waits until
// /readyz answers 200.
func startServer(ctx context.Context, bin, dsn string, logs *serverLog) (*server, error) {
	began := time.Now()
	cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--log-level", "warn", "--log-format", "text")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start liaison serve: %w", err)
	}
	s := &server{cmd: cmd, exited: make(chan struct{})}
	urls := make(chan string, 1)
	var pipes sync.WaitGroup
	pipes.Go(func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := bannerURL.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
	})
	pipes.Go(func() { logs.copy(stderr) })
	go func() {
		pipes.Wait() // Wait must not run before the pipes are drained
		s.err = cmd.Wait()
		close(s.exited)
	}()

	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	select {
	case s.url = <-urls:
	case <-s.exited:
		return nil, fmt.Errorf("liaison serve exited at start: %v; its log ends: %s", s.err, logs.tail())
	case <-deadline.C:
		s.kill()
		return nil, fmt.Errorf("liaison serve printed no address within %s; its log ends: %s", startTimeout, logs.tail())
	case <-ctx.Done():
		s.kill()
		return nil, ctx.Err()
	}
	client := &http.Client{Timeout: 2 * time.Second}
	defer client.CloseIdleConnections()
	for {
		resp, err := client.Get(s.url + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.ready = time.Since(began).Round(time.Millisecond)
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("liaison serve exited before it was ready: %v; its log ends: %s", s.err, logs.tail())
		case <-deadline.C:
			s.kill()
			return nil, fmt.Errorf("liaison serve not ready within %s; its log ends: %s", startTimeout, logs.tail())
		case <-ctx.Done():
			s.kill()
			return nil, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// kill sends SIGKILL and waits for the process to end. It returns the
// exit error when the process had ended by itself before, nil otherwise.
func (s *server) kill() error {
	if s.killed {
		return nil
	}
	s.killed = true
	select {
	case <-s.exited:
		if s.err == nil {
			return errors.New("exit status 0")
		}
		return s.err
	default:
	}
	s.cmd.Process.Kill() // SIGKILL on Unix
	<-s.exited
	return nil
}

// serverLog collects the servers' standard error: it keeps the tail for
// error messages and counts the lines at WARN or above by message.
type serverLog struct {
	to      io.Writer
	mu      sync.Mutex
	last    []string
	count   map[string]int
	samples map[string]string
}

func newServerLog(to io.Writer) *serverLog {
	return &serverLog{to: to, count: map[string]int{}, samples: map[string]string{}}
}

var (
	logLevel = regexp.MustCompile(`\blevel=(WARN|ERROR)\b`)
	logMsg   = regexp.MustCompile(`\bmsg=("(?:[^"\\]|\\.)*"|\S+)`)
)

func (l *serverLog) copy(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		l.mu.Lock()
		if l.to != nil {
			fmt.Fprintln(l.to, line)
		}
		l.last = append(l.last, line)
		if len(l.last) > 20 {
			l.last = l.last[len(l.last)-20:]
		}
		if m := logLevel.FindStringSubmatch(line); m != nil {
			key := m[1]
			if mm := logMsg.FindStringSubmatch(line); mm != nil {
				key += " " + strings.Trim(mm[1], `"`)
			}
			l.count[key]++
			if _, ok := l.samples[key]; !ok {
				if len(line) > 400 {
					line = line[:400] + "…"
				}
				l.samples[key] = line
			}
		}
		l.mu.Unlock()
	}
}

func (l *serverLog) tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.last) == 0 {
		return "(nothing)"
	}
	return strings.Join(l.last, "\n")
}

func (l *serverLog) warnings() (map[string]int, map[string]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := make(map[string]int, len(l.count))
	s := make(map[string]string, len(l.samples))
	for k, v := range l.count {
		c[k] = v
		s[k] = l.samples[k]
	}
	return c, s
}
