// Package progress shows how far a long command has got: a bar redrawn in
// place on a terminal, a line every few seconds otherwise.
package progress

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Mode is how live progress shows.
type Mode int

const (
	Off   Mode = iota // output is for a program: stderr stays quiet
	Lines             // stderr is not a terminal: a line every linesEvery
	Bar               // stderr is a terminal: a bar redrawn in place
)

const linesEvery = 5 * time.Second

// Progress shows how far a phase of a command is and how it goes; the
// caller calls Set about once a second.
type Progress struct {
	mode  Mode
	w     io.Writer
	label string
	unit  string // of done and total: "s" for a timed phase, "" for a count
	total int64
	bar   *progressbar.ProgressBar
	out   *gate // the bar's writer
	last  time.Time
}

// gate passes writes to w while open and drops them while shut.
type gate struct {
	w    io.Writer
	shut bool
}

func (g *gate) Write(b []byte) (int, error) {
	if g.shut {
		return len(b), nil
	}
	return g.w.Write(b)
}

// New starts showing a phase of total steps on w.
func New(mode Mode, w io.Writer, label, unit string, total int64) *Progress {
	p := &Progress{mode: mode, w: w, label: label, unit: unit, total: total, last: time.Now()}
	if mode == Bar {
		p.out = &gate{w: w}
		p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(p.out),
			progressbar.OptionSetDescription(label), progressbar.OptionSetWidth(24),
			progressbar.OptionShowDescriptionAtLineEnd(), progressbar.OptionSetPredictTime(false),
			progressbar.OptionSetElapsedTime(false),
			progressbar.OptionClearOnFinish(), progressbar.OptionSetRenderBlankState(true))
	}
	return p
}

// Set moves the phase to done out of total and shows status beside it.
func (p *Progress) Set(done int64, status string) {
	switch p.mode {
	case Bar:
		// The bar draws itself when it moves and again when its text
		// changes: the first drawing, which would show the new bar beside
		// the old text, is not let through (unless the bar is full: then
		// it clears itself, and that must show).
		p.out.shut = done < p.total
		p.bar.Set64(min(done, p.total))
		p.out.shut = false
		p.bar.Describe(p.label + ": " + status) // draws bar and text as they now are
	case Lines:
		if time.Since(p.last) >= linesEvery {
			p.last = time.Now()
			fmt.Fprintf(p.w, "%s %d%s/%d%s: %s\n", p.label, done, p.unit, p.total, p.unit, status)
		}
	}
}

// Finish clears the bar.
func (p *Progress) Finish() {
	if p.mode == Bar {
		p.bar.Finish()
	}
}

// Ticker calls fn every interval until the returned stop is called; stop
// waits for a running fn to return.
func Ticker(interval time.Duration, fn func()) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				fn()
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}
