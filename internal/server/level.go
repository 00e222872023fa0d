package server

import "log/slog"

// slogLevel logs failures louder than successes, so that a busy server can
// run at level warn and still report every 5xx.
func slogLevel(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
