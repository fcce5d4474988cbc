package httpapi

import (
	"errors"
	"io"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/inbound"
	"github.com/omshq/oms/internal/httpapi/orderbody"
)

// maxChannelBody bounds an order a channel sends in its own format: a
// marketplace order with many lines and its metadata is larger than ours.
const maxChannelBody = 4 << 20

// channelPayload stands, in the OpenAPI document, for an order in a
// channel's own format: any JSON object (or a CSV file for a csv channel).
type channelPayload struct{}

// readBody reads the whole request body, which the route limits to limit bytes.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, oms.Errorf(oms.ETOOLARGE, "the request body is over %d bytes", limit)
		}
		return nil, oms.Errorf(oms.EINVALID, "the request body could not be read")
	}
	return body, nil
}

// ingestOrder takes one order in the format of the channel's kind; a
// channel of kind web, pos or api sends oms's own order JSON.
func (s *Server) ingestOrder(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	ch, err := s.svc.Channels.Channel(r.Context(), code)
	if err != nil {
		return err
	}
	body, err := readBody(r, maxChannelBody)
	if err != nil {
		return err
	}
	if !channel.Native(ch.Kind) {
		var req orderbody.OrderRequest
		if err := decode.JSONChecked(body, &req, req.Check); err != nil {
			return err
		}
		var p oms.Problems
		matchPath(&p, "channel", req.Channel, code)
		if err := decode.InvalidWith(p, req.Check); err != nil {
			return err
		}
		req.Channel = code
		return s.place(w, r, &req)
	}
	return s.ingest(w, r, ch, body)
}

// ingest reads the body with the channel's adapter and records the order.
func (s *Server) ingest(w http.ResponseWriter, r *http.Request, ch *oms.Channel, body []byte) error {
	in, err := channel.Parse(ch.Kind, body)
	if err != nil {
		return err
	}
	res, err := s.svc.Channels.IngestOrder(r.Context(), ch.Code, in, body, handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/orders/"+res.Order.ID)
	w.Header().Set("OMS-Ingest-Outcome", res.Outcome)
	status := http.StatusOK
	if res.Outcome == oms.IngestCreated {
		status = http.StatusCreated
	}
	return writeOrder(w, r, status, res.Order)
}

// outcomeIgnored is a webhook's outcome when it carries no order.
const outcomeIgnored = "ignored"

// webhookOutcomes lists what a webhook's order may come to.
var webhookOutcomes = []string{oms.IngestCreated, oms.IngestDuplicate, oms.IngestUpdated, oms.IngestStale, outcomeIgnored}

type webhookAnswer struct {
	Received bool   `json:"received"`
	Outcome  string `json:"outcome"` // one of webhookOutcomes
	OrderID  string `json:"order_id,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// webhook takes a channel's signed webhook delivery. The signature is
// checked over the raw body, in constant time, before anything is read or
// recorded; a bad or missing one is 401. An unknown channel code, and a
// channel whose kind sends no webhooks, get that same 401 after the same
// work, so that a caller without a secret learns nothing of which channels
// exist.
// A repeat of a delivery the channel identifies (see inbound.DeliveryID)
// that changed its order is answered duplicate without being read or
// written again. Every answer names its outcome in OMS-Ingest-Outcome.
func (s *Server) webhook(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	body, err := readBody(r, maxChannelBody)
	if err != nil {
		return err
	}
	ch, err := s.svc.Channels.Channel(r.Context(), code)
	if oms.ErrorCode(err) == oms.ENOTFOUND {
		ch, err = &oms.Channel{}, nil // no secret: refused below as a bad signature
	}
	if err != nil {
		return err
	}
	header, ok := inbound.SignatureHeaders[ch.Kind]
	if !inbound.ValidSignature(ch.WebhookSecret, inbound.Signature(r.Header, header), body) || !ok {
		s.log.WarnContext(r.Context(), "webhook signature rejected", "channel", code)
		return inbound.ErrBadSignature
	}
	if ch.Kind == "woocommerce" && inbound.IsWooPing(body) {
		// WooCommerce checks a new webhook with a form-encoded ping.
		return writeWebhook(w, http.StatusOK, webhookAnswer{Received: true, Outcome: outcomeIgnored, Detail: "ping"})
	}
	if topic := inbound.Topic(ch.Kind, r.Header); topic != "" && !inbound.OrderTopic(topic) {
		return writeWebhook(w, http.StatusOK, webhookAnswer{Received: true, Outcome: outcomeIgnored, Detail: "topic " + topic + " is not an order"})
	}
	delivery, err := inbound.DeliveryID(ch.Kind, r.Header)
	if err != nil {
		return err
	}
	if delivery != "" {
		orderID, seen, err := s.svc.Channels.Delivery(r.Context(), code, delivery)
		if err != nil {
			return err
		}
		if seen {
			return writeWebhook(w, http.StatusOK, webhookAnswer{Received: true, Outcome: oms.IngestDuplicate,
				OrderID: orderID, Detail: "delivery " + delivery + " was received before"})
		}
	}
	in, err := channel.Parse(ch.Kind, body)
	if err != nil {
		return err
	}
	res, err := s.svc.Channels.IngestDelivery(r.Context(), code, delivery, in, body, oms.System("webhook:"+code))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Outcome == oms.IngestCreated {
		status = http.StatusCreated
	}
	return writeWebhook(w, status, webhookAnswer{Received: true, Outcome: res.Outcome, OrderID: res.Order.ID})
}

// writeWebhook answers a webhook delivery, naming its outcome in the
// OMS-Ingest-Outcome header as the orders route does.
func writeWebhook(w http.ResponseWriter, status int, a webhookAnswer) error {
	w.Header().Set("OMS-Ingest-Outcome", a.Outcome)
	return answer.JSON(w, status, a)
}
