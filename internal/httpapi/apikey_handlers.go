package httpapi

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

// The lifecycle of API keys after they are made: list, rotate, revoke.

type apiKeyPage struct {
	APIKeys    []oms.APIKey `json:"api_keys"`
	NextCursor *string      `json:"next_cursor"`
}

type apiKeyRotateRequest struct {
	// ExpiresInSeconds is how long the replaced secret keeps working: 0 (it
	// stops at once) to 604800 (7 days); 86400 (a day) when absent.
	ExpiresInSeconds decode.Int `json:"expires_in_seconds,omitempty"`
}

func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) error {
	q, err := paging.Query(r)
	if err != nil {
		return err
	}
	limit, err := paging.Limit(q, paging.DefaultLimit, paging.MaxLimit)
	if err != nil {
		return err
	}
	var after string
	if v := q.Get("after"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil || !strings.HasPrefix(string(b), "key_") || len(b) > 64 {
			return oms.Invalid("after", "is not a cursor this API returned")
		}
		after = string(b)
	}
	keys, next, err := s.svc.Keys.ListAPIKeys(r.Context(), after, limit)
	if err != nil {
		return err
	}
	page := apiKeyPage{APIKeys: answer.NonNil(keys)}
	if next != "" {
		c := base64.RawURLEncoding.EncodeToString([]byte(next))
		page.NextCursor = &c
	}
	return answer.JSON(w, http.StatusOK, page)
}

func (s *Server) revokeAPIKey(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Keys.RevokeAPIKey(r.Context(), r.PathValue("id"), handle.Viewer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) rotateAPIKey(w http.ResponseWriter, r *http.Request) error {
	var req apiKeyRotateRequest
	overlap, err := decode.RotationOverlap(r, &req, &req.ExpiresInSeconds, oms.DefaultKeyOverlap, oms.MaxKeyOverlap)
	if err != nil {
		return err
	}
	k, secret, err := s.svc.Keys.RotateAPIKey(r.Context(), r.PathValue("id"), overlap, handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the answer holds a secret
	return answer.JSON(w, http.StatusOK, apiKeyCreated{APIKey: k, Secret: secret})
}

// bearerToken returns the token of an Authorization header in the Bearer
// scheme. The scheme's name is matched in any case, as RFC 9110 says of
// every scheme, and any run of spaces or tabs may follow it.
func bearerToken(h string) (string, bool) {
	i := strings.IndexAny(h, " \t")
	if i < 0 || !strings.EqualFold(h[:i], "Bearer") {
		return "", false
	}
	token := strings.Trim(h[i:], " \t")
	return token, token != ""
}
