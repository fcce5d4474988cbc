package bench

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressMode is how live progress shows.
type progressMode int

const (
	progressOff   progressMode = iota // --json: stderr stays quiet
	progressLines                     // stderr is not a terminal: a line every linesEvery
	progressBar                       // stderr is a terminal: a bar redrawn in place
)

const linesEvery = 5 * time.Second

// progress shows how far a phase is and how it goes; the caller calls set
// about once a second.
type progress struct {
	mode  progressMode
	w     io.Writer
	label string
	unit  string // of done and total: "s" for a timed phase, "" for a count
	total int64
	bar   *progressbar.ProgressBar
	last  time.Time
}

func newProgress(mode progressMode, w io.Writer, label, unit string, total int64) *progress {
	p := &progress{mode: mode, w: w, label: label, unit: unit, total: total, last: time.Now()}
	if mode == progressBar {
		p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label), progressbar.OptionSetWidth(24),
			progressbar.OptionShowDescriptionAtLineEnd(), progressbar.OptionSetPredictTime(false),
			progressbar.OptionSetElapsedTime(false),
			progressbar.OptionClearOnFinish(), progressbar.OptionSetRenderBlankState(true))
	}
	return p
}

// set moves the phase to done out of total and shows status beside it.
func (p *progress) set(done int64, status string) {
	switch p.mode {
	case progressBar:
		p.bar.Set64(min(done, p.total))
		p.bar.Describe(p.label + ": " + status) // renders the bar with its new state
	case progressLines:
		if time.Since(p.last) >= linesEvery {
			p.last = time.Now()
			fmt.Fprintf(p.w, "%s %d%s/%d%s: %s\n", p.label, done, p.unit, p.total, p.unit, status)
		}
	}
}

// finish clears the bar.
func (p *progress) finish() {
	if p.mode == progressBar {
		p.bar.Finish()
	}
}

// ticker calls fn every interval until the returned stop is called; stop
// waits for a running fn to return.
func ticker(interval time.Duration, fn func()) (stop func()) {
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
