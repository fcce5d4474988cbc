package bench

import (
	"bytes"
	"runtime/pprof"
	"time"

	"github.com/google/pprof/profile"

	"github.com/omshq/oms/internal/store/placement"
)

// writerProfile is a CPU profile of this process over the order run, kept
// to tell the order writers' CPU from the rest: their goroutines carry the
// label placement.WriterLabel.
type writerProfile struct {
	buf bytes.Buffer
}

// startWriterProfile starts profiling; nil when a profile is running
// already (--cpuprofile), which leaves the figure out.
func startWriterProfile() *writerProfile {
	w := new(writerProfile)
	if err := pprof.StartCPUProfile(&w.buf); err != nil {
		return nil
	}
	return w
}

// stop ends the profile and returns the CPU time sampled in the writers'
// goroutines, with false when there is no profile to read.
func (w *writerProfile) stop() (time.Duration, bool) {
	if w == nil {
		return 0, false
	}
	pprof.StopCPUProfile()
	p, err := profile.Parse(&w.buf)
	if err != nil {
		return 0, false
	}
	return writerCPU(p)
}

// writerCPU sums the CPU time of the samples labelled as the writers'.
func writerCPU(p *profile.Profile) (time.Duration, bool) {
	cpu := -1
	for i, st := range p.SampleType {
		if st.Type == "cpu" && st.Unit == "nanoseconds" {
			cpu = i
		}
	}
	if cpu < 0 {
		return 0, false
	}
	var sum int64
	for _, s := range p.Sample {
		for _, v := range s.Label[placement.WriterLabel] {
			if v == "writer" {
				sum += s.Value[cpu]
				break
			}
		}
	}
	return time.Duration(sum), true
}
