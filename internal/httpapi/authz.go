package httpapi

import (
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/authz"
	"github.com/omshq/oms/internal/httpapi/handle"
)

// Object-level authorization (see package authz): a key bound to channels
// or locations may use a route only on what is theirs. What the path names
// is checked here, before the handler runs.

// authorizePath returns ENOTFOUND when the route's path names an object the
// key may not see; for a channel or location code named by a write,
// EFORBIDDEN naming it (placing an order into another channel is
// forbidden, not unknown).
func (s *Server) authorizePath(r *http.Request, rt route) error {
	p := handle.Viewer(r)
	if !p.Bound() {
		return nil
	}
	ctx := r.Context()
	switch authz.ScopeOfPath(rt.Path) {
	case authz.OrderScope:
		return s.svc.Orders.AuthorizeOrder(ctx, p, r.PathValue("id"))
	case authz.FulfillmentScope:
		return s.svc.Fulfillments.AuthorizeFulfillment(ctx, p, r.PathValue("id"))
	case authz.ReturnScope:
		return s.svc.Returns.AuthorizeReturn(ctx, p, r.PathValue("id"))
	case authz.SupplyScope:
		id, err := supplyID(r)
		if err != nil {
			return err
		}
		return s.svc.Inventory.AuthorizeSupply(ctx, p, id)
	case authz.ChannelScope:
		code := r.PathValue("code")
		if p.CanSeeChannel(code) {
			return nil
		} else if r.Method != http.MethodGet {
			return p.ActFor("channel", code)
		}
		return oms.Errorf(oms.ENOTFOUND, "channel %q does not exist", code)
	case authz.LocationScope:
		code := r.PathValue("code")
		if p.CanSeeLocation(code) {
			return nil
		} else if r.Method != http.MethodGet {
			return p.WorkAt("location", code)
		}
		return oms.Errorf(oms.ENOTFOUND, "location %q does not exist", code)
	}
	return nil
}
