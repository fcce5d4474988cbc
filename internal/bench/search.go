package bench

import (
	"context"
	"fmt"
	"net/http"
)

// shipForSearch is how many acknowledged orders are shipped, with tracking
// numbers, for the search lookups to find.
const shipForSearch = 200

// shipSome ships the pending fulfillments of up to n of the acknowledged
// orders that have allocated units, each with a tracking number, and records
// it on the ack, whose units are then shipped, no longer allocated. Orders
// that cannot ship (on hold) are passed over.
func shipSome(ctx context.Context, c *client, key string, acks []ack, n int) (int, error) {
	shipped := 0
	for i := range acks {
		if shipped >= n {
			break
		}
		a := &acks[i]
		if !allocated(a) {
			continue
		}
		var fl struct {
			Fulfillments []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"fulfillments"`
		}
		if err := c.call(ctx, "GET", "/v1/orders/"+a.ID+"/fulfillments", key, nil, &fl, http.StatusOK); err != nil {
			return shipped, err
		}
		tracking := fmt.Sprintf("1ZBENCH%08d", i)
		ok, failed := 0, 0
		for _, f := range fl.Fulfillments {
			if f.Status != "pending" {
				continue
			}
			if shipOne(ctx, c, key, f.ID, tracking) {
				ok++
			} else {
				failed++
			}
		}
		switch {
		case ok > 0 && failed > 0:
			return shipped, fmt.Errorf("order %s shipped in part", a.ID)
		case ok > 0:
			// Every allocated unit shipped: that is what verification expects now.
			a.Tracking = tracking
			for j := range a.Lines {
				a.Lines[j].Allocated = 0
			}
			shipped++
		}
	}
	return shipped, nil
}

func allocated(a *ack) bool {
	for _, l := range a.Lines {
		if l.Allocated > 0 {
			return true
		}
	}
	return false
}

// shipOne picks, packs and ships the fulfillment; false when oms refuses
// (an order on hold).
func shipOne(ctx context.Context, c *client, key, id, tracking string) bool {
	for _, step := range []string{"pick", "pack"} {
		if status, _, err := c.do(ctx, "POST", "/v1/fulfillments/"+id+"/"+step, key, nil); err != nil || status != http.StatusOK {
			return false
		}
	}
	body := []byte(fmt.Sprintf(`{"carrier":"UPS","tracking_number":%q}`, tracking))
	status, _, err := c.do(ctx, "POST", "/v1/fulfillments/"+id+"/ship", key, body)
	return err == nil && status == http.StatusOK
}
