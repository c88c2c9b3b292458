//go:build !unix

package engine

import "errors"

func mkfifo(string) error { return errors.New("not supported") }

func unreadableCases() []hostileCase { return nil }
