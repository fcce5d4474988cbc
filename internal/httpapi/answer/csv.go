package answer

import (
	"encoding/csv"
	"log/slog"
	"net/http"
	"strconv"
)

// RowCountTrailer is the trailer that ends a whole CSV file streamed by
// CSVStream: the number of rows after the header. A file without it was
// cut short.
const RowCountTrailer = "OMS-Row-Count"

// CSVStream writes a CSV answer as its rows come, so that a file of any size
// takes little memory. Nothing is sent until the first rows fill its buffer
// (or the file ends), so a failure before then is still answered as a
// problem document. After that the status is sent and cannot change: a
// failure breaks the connection off before the end of the chunked body, so
// that the client sees an incomplete answer and never takes a short file for
// a whole one; a whole file ends with the OMS-Row-Count trailer.
type CSVStream struct {
	w    http.ResponseWriter
	out  *startWriter
	cw   *csv.Writer
	rows int64
}

// startWriter sends the status and headers with the first bytes of the body.
type startWriter struct {
	w       http.ResponseWriter
	header  func(http.Header)
	started bool
}

func (s *startWriter) Write(b []byte) (int, error) {
	if !s.started {
		s.started = true
		s.header(s.w.Header())
		s.w.Header().Set("Trailer", RowCountTrailer)
		s.w.WriteHeader(http.StatusOK)
	}
	return s.w.Write(b)
}

// CSV starts a CSV answer named filename with its header row.
func CSV(w http.ResponseWriter, filename string, header []string) *CSVStream {
	out := &startWriter{w: w, header: func(h http.Header) {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}}
	s := &CSVStream{w: w, out: out, cw: csv.NewWriter(out)}
	s.cw.Write(header)
	return s
}

// Write adds a row, sending what is buffered every 1000 rows.
func (s *CSVStream) Write(row []string) error {
	if s.rows++; s.rows%1000 == 0 {
		s.cw.Flush()
		http.NewResponseController(s.w).Flush()
	}
	return s.cw.Write(row)
}

// Close ends the file. With err, the rows stopped coming: when nothing was
// sent yet Close returns err, for the handler to answer as a problem;
// otherwise it logs err and breaks the connection off (it panics with
// http.ErrAbortHandler, which net/http takes as the signal to do so).
func (s *CSVStream) Close(log *slog.Logger, r *http.Request, err error) error {
	if err != nil {
		if !s.out.started {
			return err
		}
		log.ErrorContext(r.Context(), "CSV answer broken off", slog.String("path", r.URL.Path),
			slog.Int64("rows", s.rows), slog.Any("error", err))
		panic(http.ErrAbortHandler)
	}
	s.cw.Flush()
	if s.cw.Error() != nil {
		return nil // the client went away: there is no one to tell
	}
	s.w.Header().Set(RowCountTrailer, strconv.FormatInt(s.rows, 10))
	return nil
}
